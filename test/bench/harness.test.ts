import { describe, expect, it } from 'vitest';
import { quantile, steadyRates, threadCores, threadCpu } from './harness.mjs';

describe('steadyRates', () => {
  it('is the slope of each counter, not bent by records in flight at the start or a late last checkpoint', () => {
    // decoding 100 records/s from t = 0; visible lags one checkpoint (1 s) behind, in steps
    const series = [];
    for (let s = 0; s <= 10; s++) {
      series.push({ t: s * 1000, records: 200 + 100 * s, flows: 100 * s });
    }
    // all 1,200 decoded at t = 10 s; the last checkpoint makes them visible 2 s later
    series.push({ t: 12_000, records: 1_200, flows: 1_200 });
    const r = steadyRates(series, 1_200);
    expect(r.steadyConsumed).toBeCloseTo(100, 9);
    expect(r.steadyVisible).toBeCloseTo(100, 9);
    expect(r.steadySeconds).toBe(10);
    // the endpoint rates over the same 12 s: 1,000 / 12 decoded, 1,200 / 12 visible
  });

  it('uses every scrape when there is no backlog, and needs five of them', () => {
    const series = [0, 1, 2, 3, 4].map((s) => ({ t: s * 500, records: 7 * s, flows: 3 * s }));
    expect(steadyRates(series, 0)).toEqual({
      steadyConsumed: 14,
      steadyVisible: 6,
      steadySeconds: 2,
    });
    expect(Number.isNaN(steadyRates(series.slice(0, 4), 0).steadyConsumed)).toBe(true);
  });
});

describe('quantile', () => {
  it('is the nearest rank', () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBe(10);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });
});

describe('threadCores', () => {
  it('splits a process by thread: main (the pid), the busiest others as workers, the rest helpers', () => {
    const a = new Map([
      [100, 10],
      [101, 1],
      [102, 5],
      [103, 0.5],
    ]);
    // thread 104 started between the readings
    const b = new Map([
      [100, 18],
      [101, 2],
      [102, 12],
      [103, 1],
      [104, 0.5],
    ]);
    expect(threadCores(100, a, b, 10, 1)).toEqual({ main: 0.8, workers: 0.7, helpers: 0.2 });
    expect(threadCores(100, a, b, 10, 0)).toEqual({ main: 0.8, workers: 0, helpers: 0.9 });
  });

  it('reads this process from /proc, its main thread under its pid', () => {
    const t = threadCpu(process.pid);
    expect(t.get(process.pid)).toBeGreaterThan(0);
  });
});
