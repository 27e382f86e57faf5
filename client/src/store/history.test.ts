import { describe, expect, it } from 'vitest';
import { historyRange, rangeToPoints, withHistory } from './history.js';
import { seconds } from './testPoints.js';

describe('rangeToPoints', () => {
  it('turns per-group series into chart points whose total is the sum of the groups', () => {
    const { points, names } = rangeToPoints({
      by: 'country',
      metric: 'bps',
      from: 0,
      to: 12_000,
      stepMs: 6000,
      times: [0, 6000],
      groups: [
        { key: 'RU', name: 'Russia', series: [100, 0] },
        { key: 'other', name: 'Other', series: [50, 20] },
      ],
    });
    expect(names).toEqual({ RU: 'Russia', other: 'Other' });
    expect(points).toEqual([
      {
        t: 0,
        total: { bps: 150, pps: 0, fps: 0 },
        sources: 0,
        countries: [
          { key: 'RU', bps: 100, pps: 0, fps: 0 },
          { key: 'other', bps: 50, pps: 0, fps: 0 },
        ],
      },
      {
        t: 6000,
        total: { bps: 20, pps: 0, fps: 0 },
        sources: 0,
        countries: [{ key: 'other', bps: 20, pps: 0, fps: 0 }],
      },
    ]);
  });
});

describe('historyRange', () => {
  it('reaches the window back from the newest live point, up to the oldest, on step boundaries', () => {
    const live = seconds(900_000, 10, () => ({ RU: 1 })); // t = 900 s … 909 s
    expect(historyRange(live, 600_000, 6000)).toEqual({ from: 306_000, to: 900_000 });
    expect(historyRange([], 600_000, 6000)).toBeNull();
    expect(historyRange(live, 5_000, 6000)).toBeNull();
  });
});

describe('withHistory', () => {
  it('puts history before the live points and drops steps that overlap them', () => {
    const history = seconds(0, 4, () => ({ RU: 1 })).map((p, i) => ({ ...p, t: i * 6000 }));
    const live = seconds(20_000, 3, () => ({ RU: 2 })); // 20 s … 22 s
    const merged = withHistory(history, live, 6000);
    // The step at 18 s covers 18–24 s and overlaps the first live second: dropped.
    expect(merged.map((p) => p.t)).toEqual([0, 6000, 12_000, 20_000, 21_000, 22_000]);
    expect(withHistory([], live, 6000)).toBe(live);
    expect(withHistory(history, [], 6000)).toBe(history);
  });
});
