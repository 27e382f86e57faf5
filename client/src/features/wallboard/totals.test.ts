import { describe, expect, it } from 'vitest';
import { point, seconds } from '../../store/testPoints.js';
import { completePoints, headline, meanRates, relativeChange } from './totals.js';

describe('completePoints', () => {
  const pts = seconds(0, 5, () => ({ RU: 1 }));

  it('drops the seconds still filling at server time', () => {
    expect(completePoints(pts, 4500, 1000).map((p) => p.t)).toEqual([0, 1000, 2000, 3000]);
    expect(completePoints(pts, 5000, 1000)).toBe(pts);
    expect(completePoints(pts, null, 1000)).toBe(pts);
  });
});

describe('meanRates', () => {
  it('averages the points in [from, to)', () => {
    const pts = [point(0, { RU: 10 }), point(1000, { RU: 30 }), point(2000, { RU: 1000 })];
    expect(meanRates(pts, 0, 2000)?.bps).toBe(20);
    expect(meanRates(pts, 5000, 6000)).toBeNull();
  });
});

describe('relativeChange', () => {
  it('is null without a positive baseline', () => {
    expect(relativeChange(150, 100)).toBeCloseTo(0.5);
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(5, undefined)).toBeNull();
  });
});

describe('headline', () => {
  it('gives the last 5 s mean, its change against the minute before, and sparklines', () => {
    // 60 s at 100 bps then 5 s at 300 bps.
    const pts = seconds(0, 65, (i) => ({ RU: i < 60 ? 100 : 300 }));
    const h = headline(pts, 1000, { sparkMs: 65_000, sparkBuckets: 13 });
    expect(h.current.bps).toBe(300);
    expect(h.current.sources).toBe(10);
    expect(h.change.bps).toBeCloseTo(2);
    expect(h.change.sources).toBeCloseTo(0);
    expect(h.spark.bps).toHaveLength(13);
    expect(h.spark.bps.at(-1)).toBe(300);
    expect(h.asOf).toBe(65_000);
  });

  it('is all zeros and nulls without data', () => {
    const h = headline([], 1000);
    expect(h.current.bps).toBe(0);
    expect(h.change.bps).toBeNull();
    expect(h.spark.pps).toEqual([]);
    expect(h.asOf).toBeNull();
  });

  it('has no trend before a baseline exists', () => {
    expect(
      headline(
        seconds(0, 3, () => ({ RU: 5 })),
        1000,
      ).change.bps,
    ).toBeNull();
  });
});
