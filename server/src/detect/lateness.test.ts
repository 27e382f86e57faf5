import { describe, expect, it } from 'vitest';
import { Lateness } from './lateness.js';

const T0 = 1_800_000_000_000;

describe('lateness', () => {
  it('is its floor while nothing was seen', () => {
    expect(new Lateness().horizonMs(T0)).toBe(1_000);
  });

  it('an exporter with 1-s timeouts: a second or two', () => {
    const l = new Lateness();
    // every second's packets arrive 0.5–1.5 s after it ends
    for (let s = 0; s < 120; s++) {
      l.observe(T0 + s * 1000 + 1500, T0 + s * 1000, 900);
      l.observe(T0 + s * 1000 + 2500, T0 + s * 1000, 100);
    }
    expect(l.horizonMs(T0 + 121_000)).toBe(2_000);
  });

  it("a router's 60-s active timeout: about a minute, weighted by packets", () => {
    const l = new Lateness();
    for (let s = 0; s < 120; s++) {
      // a little prompt traffic, and a long flow's packets spread over the minute before
      l.observe(T0 + s * 1000 + 1500, T0 + s * 1000, 100);
      if (s % 60 === 59)
        for (let back = 0; back < 60; back++)
          l.observe(T0 + s * 1000 + 1500, T0 + (s - back) * 1000, 1000);
    }
    expect(l.horizonMs(T0 + 121_000)).toBeGreaterThanOrEqual(55_000);
  });

  it('forgets what is older than its window, and ignores history', () => {
    const l = new Lateness();
    l.observe(T0, T0 - 61_000, 1000);
    expect(l.horizonMs(T0)).toBe(61_000);
    // a restored second an hour old is not lateness
    l.observe(T0, T0 - 3_600_000, 1e9);
    expect(l.horizonMs(T0)).toBe(61_000);
    expect(l.horizonMs(T0 + 3 * 60_000)).toBe(1_000);
  });
});
