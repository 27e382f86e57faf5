import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './kafkaTokenBucket.js';

describe('createTokenBucket', () => {
  it('allows a burst of `burst` takes, then refills at the rate', () => {
    const b = createTokenBucket(10);
    const t0 = 1_000_000;
    let ok = 0;
    for (let i = 0; i < 50; i++) if (b.take(t0)) ok++;
    expect(ok).toBe(10);
    expect(b.take(t0 + 50)).toBe(false); // half a token
    expect(b.take(t0 + 100)).toBe(true); // one token after 100 ms at 10/s
    expect(b.take(t0 + 100)).toBe(false);
  });

  it('holds the long-run rate at ratePerSec', () => {
    const b = createTokenBucket(10);
    let ok = 0;
    for (let ms = 0; ms < 60_000; ms += 5) if (b.take(ms)) ok++;
    expect(ok).toBeGreaterThanOrEqual(600);
    expect(ok).toBeLessThanOrEqual(611); // 600 + the initial burst
  });

  it('never refills beyond the burst, and ignores time going backwards', () => {
    const b = createTokenBucket(2, 3);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(-10_000)).toBe(false);
    let ok = 0;
    for (let i = 0; i < 10; i++) if (b.take(3_600_000)) ok++;
    expect(ok).toBe(3);
  });

  it('rejects a non-positive rate', () => {
    expect(() => createTokenBucket(0)).toThrow(RangeError);
  });
});
