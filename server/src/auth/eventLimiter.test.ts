import { describe, expect, it } from 'vitest';
import { createEventLimiter } from './eventLimiter.js';

describe('the per-connection event limiter', () => {
  it('lets a burst of twice the rate through, then the rate', () => {
    let now = 0;
    const l = createEventLimiter(5, () => now);
    const burst = Array.from({ length: 20 }, () => l.take()).filter(Boolean).length;
    expect(burst).toBe(10);
    now += 1000;
    expect(Array.from({ length: 20 }, () => l.take()).filter(Boolean).length).toBe(5);
  });
});
