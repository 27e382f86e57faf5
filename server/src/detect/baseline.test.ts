import { describe, expect, it } from 'vitest';
import { Baseline, medianOf } from './baseline.js';
import { thresholdOf } from './rules.js';

describe('baseline', () => {
  it('takes the mean of each 10-s period and summarises with median and MAD', () => {
    const b = new Baseline(10_000, 100, 3);
    // periods with means 10, 20, 30, 1000 (one outlier)
    const means = [10, 20, 30, 1000, 25];
    means.forEach((m, p) => {
      for (let s = 0; s < 10; s++) b.add(p * 10_000 + s * 1000, m, false);
    });
    // the last period is still open
    const st = b.stats();
    expect(st.samples).toBe(4);
    expect(st.median).toBe(25);
    expect(st.mad).toBe(10);
    expect(st.warm).toBe(true);
  });

  it('is not warm until it has minSamples', () => {
    const b = new Baseline(10_000, 100, 3);
    for (let t = 0; t < 25_000; t += 1000) b.add(t, 5, false);
    expect(b.stats()).toMatchObject({ samples: 2, warm: false });
    expect(thresholdOf({ baseline: { k: 3, floor: 1 } }, b.stats())).toBeNull();
  });

  it('leaves out periods that were alerting, so an attack does not become normal', () => {
    const b = new Baseline(10_000, 100, 2);
    for (let t = 0; t < 30_000; t += 1000) b.add(t, 100, false);
    // a long attack, alerting throughout
    for (let t = 30_000; t < 600_000; t += 1000) b.add(t, 1e6, true);
    b.add(600_000, 100, false);
    expect(b.stats()).toMatchObject({ median: 100, samples: 3 });
  });

  it('keeps a bounded window', () => {
    const b = new Baseline(1000, 5, 1);
    for (let t = 0; t < 20_000; t += 1000) b.add(t, t, false);
    expect(b.stats().samples).toBe(5);
    expect(b.stats().median).toBe(16_000);
  });

  it('pre-fills zeros for keys never seen, and knows when a series is idle', () => {
    const b = new Baseline(10_000, 100, 3);
    b.prefillZeros(3);
    expect(b.stats()).toMatchObject({ median: 0, warm: true });
    expect(b.idle()).toBe(true);
    b.add(0, 1, false);
    expect(b.idle()).toBe(false);
  });

  it('thresholds: k × median with a floor, median + z·σ with a floor, static', () => {
    const st = { median: 100, mad: 10, warm: true };
    expect(thresholdOf({ baseline: { k: 3, floor: 50 } }, st)).toBe(300);
    expect(thresholdOf({ baseline: { k: 3, floor: 500 } }, st)).toBe(500);
    expect(thresholdOf({ zscore: { z: 4, floor: 0 } }, st)).toBeCloseTo(100 + 4 * 14.826);
    expect(thresholdOf({ above: 7 }, null)).toBe(7);
    expect(medianOf([])).toBe(0);
  });
});
