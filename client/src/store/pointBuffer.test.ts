import { describe, expect, it } from 'vitest';
import { lowerBound, mergePoints, trimPoints } from './pointBuffer.js';
import { point, seconds } from './testPoints.js';

const ts = (points: { t: number }[]) => points.map((p) => p.t);
const big = { maxPoints: 10_000, maxAgeMs: 1e12 };

describe('mergePoints', () => {
  it('appends newer points in order', () => {
    const out = mergePoints(
      seconds(0, 3, () => ({})),
      [point(3000), point(4000)],
      big,
    );
    expect(ts(out)).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it('replaces a point whose t it already has (late data)', () => {
    const old = seconds(0, 3, () => ({ RU: 1 }));
    const late = point(2000, { RU: 99 });
    const out = mergePoints(old, [late, point(3000, { RU: 5 })], big);
    expect(ts(out)).toEqual([0, 1000, 2000, 3000]);
    expect(out[2]).toBe(late);
  });

  it('inserts an out-of-order point in the middle', () => {
    const out = mergePoints([point(0), point(2000)], [point(1000)], big);
    expect(ts(out)).toEqual([0, 1000, 2000]);
  });

  it('sorts an unsorted tick and lets the last duplicate win', () => {
    const a = point(3000, { X: 1 });
    const b = point(3000, { X: 2 });
    const out = mergePoints([point(0)], [point(4000), a, b], big);
    expect(ts(out)).toEqual([0, 3000, 4000]);
    expect(out[1]).toBe(b);
  });

  it('never mutates its inputs', () => {
    const old = seconds(0, 3, () => ({}));
    const copy = old.slice();
    const out = mergePoints(old, [point(1000)], big);
    expect(old).toEqual(copy);
    expect(out).not.toBe(old);
  });

  it('bounds the buffer by count', () => {
    const out = mergePoints(
      seconds(0, 10, () => ({})),
      [point(10_000)],
      { maxPoints: 4, maxAgeMs: 1e12 },
    );
    expect(ts(out)).toEqual([7000, 8000, 9000, 10_000]);
  });

  it('bounds the buffer by age relative to the newest point', () => {
    const out = mergePoints(
      seconds(0, 10, () => ({})),
      [point(20_000)],
      { maxPoints: 100, maxAgeMs: 12_000 },
    );
    expect(ts(out)).toEqual([8000, 9000, 20_000]);
  });

  it('stays bounded over an hour of ticks', () => {
    let buf = mergePoints(
      [],
      seconds(0, 900, () => ({ RU: 1 })),
    );
    for (let s = 900; s < 7200; s++)
      buf = mergePoints(buf, [point((s - 1) * 1000), point(s * 1000)]);
    expect(buf.length).toBe(3600);
    expect(buf[buf.length - 1]!.t).toBe(7_199_000);
  });

  it('handles empty inputs', () => {
    expect(mergePoints([], [])).toEqual([]);
    expect(ts(mergePoints([], [point(5)]))).toEqual([5]);
    expect(ts(mergePoints([point(5)], []))).toEqual([5]);
  });
});

describe('trimPoints and lowerBound', () => {
  it('finds the first point at or after t', () => {
    const pts = seconds(0, 5, () => ({}));
    expect(lowerBound(pts, -1)).toBe(0);
    expect(lowerBound(pts, 2000)).toBe(2);
    expect(lowerBound(pts, 2500)).toBe(3);
    expect(lowerBound(pts, 9000)).toBe(5);
  });

  it('keeps a point exactly maxAge old', () => {
    expect(
      ts(
        trimPoints(
          seconds(0, 4, () => ({})),
          { maxPoints: 10, maxAgeMs: 2000 },
        ),
      ),
    ).toEqual([1000, 2000, 3000]);
  });
});
