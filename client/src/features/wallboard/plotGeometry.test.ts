import { describe, expect, it } from 'vitest';
import {
  areaPath,
  bandLayer,
  linearScale,
  linePath,
  nearestRow,
  niceTicks,
  stackLayers,
} from './plotGeometry.js';
import type { SeriesRow } from './toSeries.js';
import { BAND_HI, BAND_LO } from './toSeries.js';

const row = (t: number, values: Record<string, number | null>) => ({ t, ...values }) as SeriesRow;

describe('linearScale', () => {
  it('maps and inverts, the y axis upside down', () => {
    const y = linearScale([0, 100], [300, 0]);
    expect(y(0)).toBe(300);
    expect(y(50)).toBe(150);
    expect(y.invert(75)).toBe(75);
    expect(linearScale([5, 5], [0, 10])(7)).toBe(0);
  });
});

describe('niceTicks', () => {
  it('steps 1, 2, 2.5 or 5 times a power of ten, ending at or above the max', () => {
    expect(niceTicks(17.2e9)).toEqual([0, 5e9, 10e9, 15e9, 20e9]);
    expect(niceTicks(22e9)).toEqual([0, 5e9, 10e9, 15e9, 20e9, 25e9]);
    expect(niceTicks(9e9)).toEqual([0, 2e9, 4e9, 6e9, 8e9, 10e9]);
    expect(niceTicks(11e9)).toEqual([0, 2.5e9, 5e9, 7.5e9, 10e9, 12.5e9]);
    expect(niceTicks(800e6)).toEqual([0, 200e6, 400e6, 600e6, 800e6]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.30000000000000004]);
  });

  it('is just 0 without traffic', () => {
    expect(niceTicks(0)).toEqual([0]);
    expect(niceTicks(Number.NaN)).toEqual([0]);
  });
});

describe('stackLayers', () => {
  it('stacks the keys bottom up and leaves gap rows undefined', () => {
    const rows = [
      row(0, { RU: 3, other: 1 }),
      row(1, { RU: null, other: null }),
      row(2, { RU: 2, other: 2 }),
    ];
    const { layers, max } = stackLayers(rows, ['RU', 'other']);
    expect(layers[0]).toEqual({ key: 'RU', lower: [0, null, 0], upper: [3, null, 2] });
    expect(layers[1]).toEqual({ key: 'other', lower: [3, null, 2], upper: [4, null, 4] });
    expect(max).toBe(4);
  });
});

describe('bandLayer', () => {
  it('spans median to threshold where the row has a band', () => {
    const rows = [row(0, { [BAND_LO]: 2, [BAND_HI]: 5 }), row(1, {})];
    expect(bandLayer(rows)).toEqual({
      layer: { key: 'band', lower: [2, null], upper: [5, null] },
      max: 5,
    });
  });
});

describe('areaPath and linePath', () => {
  it('draws one closed shape per stretch of data, none across a gap', () => {
    const xs = [0, 10, 20, 30];
    const d = areaPath(xs, [0, 0, null, 0], [5, 6, null, 7]);
    expect(d).toBe('M0,5L10,6L10,0L0,0ZM30,7L30,0Z');
    expect(linePath(xs, [5, 6, null, 7])).toBe('M0,5L10,6M30,7');
  });

  it('maps values through the scale and rounds to a tenth of a pixel', () => {
    const y = linearScale([0, 3], [100, 0]);
    expect(linePath([0, 1], [1, 2], y)).toBe('M0,66.7L1,33.3');
    expect(areaPath([], [], [])).toBe('');
  });
});

describe('nearestRow', () => {
  const rows = [{ t: 0 }, { t: 10 }, { t: 20 }];
  it('finds the closest row by time, the earlier one on a tie', () => {
    expect(nearestRow(rows, -5)).toBe(0);
    expect(nearestRow(rows, 6)).toBe(1);
    expect(nearestRow(rows, 5)).toBe(0);
    expect(nearestRow(rows, 99)).toBe(2);
    expect(nearestRow([], 3)).toBe(-1);
  });
});
