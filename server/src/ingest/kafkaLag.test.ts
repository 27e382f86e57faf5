import { describe, expect, it } from 'vitest';
import { computeLag } from './kafkaLag.js';

const wm = (partition: number, low: number, high: number) => ({
  partition,
  low: String(low),
  high: String(high),
});

describe('computeLag', () => {
  it('sums high watermark minus the furthest of committed and processed', () => {
    const r = computeLag(
      [wm(0, 0, 100), wm(1, 0, 50), wm(2, 0, 10)],
      new Map([
        [0, 40],
        [1, 50],
        [2, 2],
      ]),
      new Map([[0, 90]]),
      true,
    );
    expect(r.total).toBe(10 + 0 + 8);
    expect([...r.byPartition]).toEqual([
      [0, 10],
      [1, 0],
      [2, 8],
    ]);
  });

  it('counts a never-committed partition from the low watermark when reading from the beginning', () => {
    expect(computeLag([wm(0, 20, 100)], new Map([[0, -1]]), new Map(), true).total).toBe(80);
    expect(computeLag([wm(0, 20, 100)], new Map(), new Map(), false).total).toBe(0);
  });

  it('clamps positions below the low watermark (retention removed them) and never goes negative', () => {
    expect(computeLag([wm(0, 70, 100)], new Map([[0, 10]]), new Map(), true).total).toBe(30);
    expect(computeLag([wm(0, 0, 100)], new Map([[0, 120]]), new Map(), true).total).toBe(0);
  });

  it('is zero for an empty topic', () => {
    expect(computeLag([], new Map(), new Map(), true)).toEqual({
      total: 0,
      byPartition: new Map(),
    });
  });
});
