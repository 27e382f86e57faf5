import { describe, expect, it } from 'vitest';
import { createRateMeter } from './kafkaRate.js';

describe('createRateMeter', () => {
  it('averages whole seconds of the window and leaves out the current one', () => {
    const m = createRateMeter(5);
    for (let s = 100; s < 105; s++) m.add(50, s * 1000 + 500);
    m.add(1_000, 105_100); // current second: not counted yet
    expect(m.perSec(105_200)).toBe(50);
    expect(m.perSec(106_000)).toBe((50 * 4 + 1_000) / 5);
  });

  it('forgets seconds older than the window', () => {
    const m = createRateMeter(5);
    m.add(500, 10_000);
    expect(m.perSec(11_000)).toBe(100);
    expect(m.perSec(20_000)).toBe(0);
  });
});
