import { describe, expect, it } from 'vitest';
import { point, seconds } from '../../store/testPoints.js';
import { mergePoints } from '../../store/pointBuffer.js';
import {
  bucketMsFor,
  countryTotals,
  createRowCache,
  createWindowTotals,
  pickTopKeys,
  toSeries,
  visibleWindow,
} from './toSeries.js';

describe('visibleWindow', () => {
  it('keeps the points within the window of the newest one', () => {
    const pts = seconds(0, 10, () => ({}));
    expect(visibleWindow(pts, 3000).map((p) => p.t)).toEqual([7000, 8000, 9000]);
    expect(visibleWindow([], 3000)).toEqual([]);
  });
});

describe('countryTotals', () => {
  it('sums bits/s per key and ignores `other`', () => {
    const totals = countryTotals([point(0, { RU: 5, other: 100 }), point(1000, { RU: 1, BR: 2 })]);
    expect(Object.fromEntries(totals)).toEqual({ RU: 6, BR: 2 });
  });
});

describe('createWindowTotals', () => {
  it('matches countryTotals as the window slides, a second is replaced or all is swapped', () => {
    const totals = createWindowTotals();
    let pts = seconds(0, 20, (i) => ({ RU: i, BR: 2 * i, other: 7 }));
    expect(totals(pts)).toEqual(countryTotals(pts));
    for (let s = 20; s < 40; s++) {
      pts = mergePoints(pts, [point(s * 1000, { RU: s, CN: 1 })], { maxPoints: 20, maxAgeMs: 1e9 });
      expect(totals(pts)).toEqual(countryTotals(pts));
    }
    // a late record updates a second already shown
    pts = mergePoints(pts, [point(35_000, { RU: 1000 })]);
    expect(totals(pts)).toEqual(countryTotals(pts));
    const other = seconds(100, 5, () => ({ US: 3 }));
    expect(totals(other)).toEqual(countryTotals(other));
    expect(totals([])).toEqual(new Map());
  });
});

describe('pickTopKeys', () => {
  const totals = new Map([
    ['RU', 100],
    ['BR', 90],
    ['US', 80],
    ['CN', 0],
  ]);

  it('picks the largest N, largest first, never an empty one', () => {
    expect(pickTopKeys(totals, 2)).toEqual(['RU', 'BR']);
    expect(pickTopKeys(totals, 10)).toEqual(['RU', 'BR', 'US']);
    expect(pickTopKeys(totals, 0)).toEqual([]);
  });

  it('keeps an incumbent until a newcomer beats it by more than the stickiness', () => {
    expect(pickTopKeys(totals, 2, ['RU', 'US'])).toEqual(['RU', 'US']);
    const surge = new Map(totals).set('BR', 130);
    expect(pickTopKeys(surge, 2, ['RU', 'US'])).toEqual(['BR', 'RU']);
  });

  it('breaks ties by key so the choice is deterministic', () => {
    expect(
      pickTopKeys(
        new Map([
          ['ZA', 1],
          ['AR', 1],
        ]),
        1,
      ),
    ).toEqual(['AR']);
  });
});

describe('bucketMsFor', () => {
  it('keeps row counts bounded in whole steps', () => {
    expect(bucketMsFor(5 * 60_000, 1000)).toBe(1000);
    // at most 300 rows: a 1920-px chart shows no more, and each redraw costs per row
    expect(bucketMsFor(15 * 60_000, 1000)).toBe(3000);
    expect(bucketMsFor(60 * 60_000, 1000)).toBe(12_000);
  });
});

describe('toSeries', () => {
  it('averages the baseline band into the rows, only over the points that have one', () => {
    const pts = [
      { ...point(0, { RU: 10 }), band: { median: 100, upper: 300 } },
      { ...point(1000, { RU: 20 }), band: { median: 200, upper: 500 } },
      point(2000, { RU: 30 }),
      point(3000, { RU: 40 }),
    ];
    const rows = toSeries(pts, 1, { bucketMs: 2000 }).rows;
    expect(rows).toEqual([
      { t: 0, RU: 15, other: 0, _bandLo: 150, _bandHi: 400 },
      { t: 2000, RU: 35, other: 0 },
    ]);
  });

  it('breaks the line across a silence longer than gapMs, and only there', () => {
    const pts = [
      point(0, { RU: 10 }),
      point(1000, { RU: 20 }),
      // 20 s without data (a disconnect)
      point(21_000, { RU: 30 }),
      point(22_000, { RU: 40 }),
    ];
    const s = toSeries(pts, 1, { gapMs: 15_000 });
    expect(s.rows).toEqual([
      { t: 0, RU: 10, other: 0 },
      { t: 1000, RU: 20, other: 0 },
      { t: 1001, RU: null, other: null },
      { t: 21_000, RU: 30, other: 0 },
      { t: 22_000, RU: 40, other: 0 },
    ]);
    // with buckets the gap row sits one bucket after the last row
    const b = toSeries(pts, 1, { gapMs: 15_000, bucketMs: 2000 });
    expect(b.rows.map((r) => [r.t, r.RU])).toEqual([
      [0, 15],
      [2000, null],
      [20_000, 30],
      [22_000, 40],
    ]);
    expect(toSeries(pts, 1).rows).toHaveLength(4);
  });

  it('makes one row per point with top-N columns and the rest in `other`', () => {
    const pts = [
      point(0, { RU: 50, BR: 30, US: 10, other: 5 }),
      point(1000, { RU: 60, US: 20, other: 5 }),
    ];
    const s = toSeries(pts, 2);
    expect(s.keys).toEqual(['RU', 'BR', 'other']);
    expect(s.rows).toEqual([
      { t: 0, RU: 50, BR: 30, other: 15 },
      { t: 1000, RU: 60, BR: 0, other: 25 },
    ]);
  });

  it('stacks to the total of every point', () => {
    const pts = seconds(0, 30, (i) => ({ RU: i * 10, BR: 100 - i, CN: 7, DE: i % 3, other: 11 }));
    const s = toSeries(pts, 2);
    s.rows.forEach((row, i) => {
      const sum = s.keys.reduce((acc, k) => acc + row[k]!, 0);
      expect(sum).toBeCloseTo(pts[i]!.total.bps);
    });
  });

  it('averages into aligned buckets, keeping rates as rates', () => {
    const pts = seconds(1000, 5, (i) => ({ RU: (i + 1) * 10 }));
    const s = toSeries(pts, 1, { bucketMs: 2000 });
    expect(s.rows).toEqual([
      { t: 0, RU: 10, other: 0 },
      { t: 2000, RU: 25, other: 0 },
      { t: 4000, RU: 45, other: 0 },
    ]);
  });

  it('holds the previous choice against a close challenger', () => {
    const pts = seconds(0, 10, () => ({ RU: 100, BR: 95, US: 92 }));
    expect(toSeries(pts, 2).keys).toEqual(['RU', 'BR', 'other']);
    expect(toSeries(pts, 2, { previousKeys: ['RU', 'US', 'other'] }).keys).toEqual([
      'RU',
      'US',
      'other',
    ]);
  });

  it('reuses the rows of unchanged buckets and matches a fresh computation', () => {
    const cache = createRowCache();
    const opts = { bucketMs: 2000, gapMs: 15_000, cache };
    let pts = seconds(0, 30, (i) => ({ RU: 10 + i, BR: 5 }));
    const first = toSeries(pts, 1, opts);
    pts = mergePoints(pts, [point(30_000, { RU: 50, BR: 5 }), point(1000, { RU: 99 })]);
    const next = toSeries(pts, 1, opts);
    expect(next).toEqual(toSeries(pts, 1, { bucketMs: 2000, gapMs: 15_000 }));
    // bucket 0 got a new point: recomputed; buckets 2 s … 28 s are the very same rows
    expect(next.rows[0]).not.toBe(first.rows[0]);
    expect(next.rows.slice(1, 15).every((r, i) => r === first.rows[i + 1])).toBe(true);
    // another key choice: nothing is reused
    expect(toSeries(pts, 2, opts).rows[5]).not.toBe(next.rows[5]);
  });

  it('has only `other` for an empty window', () => {
    expect(toSeries([], 5)).toEqual({ keys: ['other'], rows: [] });
  });
});
