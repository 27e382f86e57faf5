import { describe, expect, it } from 'vitest';
import { mergePoints } from '../../store/pointBuffer.js';
import { point, seconds } from '../../store/testPoints.js';
import { createChartModel } from './seriesModel.js';

describe('createChartModel', () => {
  it('returns the same model for the same inputs', () => {
    const model = createChartModel(3);
    const pts = seconds(0, 10, () => ({ RU: 5 }));
    expect(model(pts, 60_000, 1000)).toBe(model(pts, 60_000, 1000));
  });

  it('spans the whole window ending after the newest point', () => {
    const m = createChartModel(3)(
      seconds(0, 10, () => ({ RU: 5 })),
      60_000,
      1000,
    );
    expect(m.domain).toEqual([-50_000, 10_000]);
    expect(m.rows.length).toBe(10);
  });

  it('keeps countries and colours steady while two of them trade places', () => {
    const model = createChartModel(2);
    let pts = seconds(0, 60, () => ({ RU: 100, BR: 60, US: 58 }));
    const first = model(pts, 300_000, 1000);
    expect(first.keys).toEqual(['RU', 'BR', 'other']);
    const colours = { ...first.colours };
    // US edges past BR for a while: not enough to swap them out.
    for (let s = 60; s < 120; s++) {
      pts = mergePoints(pts, [point(s * 1000, { RU: 100, BR: 58, US: 66 })]);
      const m = model(pts, 300_000, 1000);
      expect(m.keys).toEqual(['RU', 'BR', 'other']);
      expect(m.colours).toEqual(colours);
    }
    // A real surge does swap it in; RU keeps its colour.
    pts = mergePoints(
      pts,
      seconds(120, 60, () => ({ RU: 100, US: 500 })),
    );
    const after = model(pts, 300_000, 1000);
    expect(after.keys).toEqual(['US', 'RU', 'other']);
    expect(after.colours.RU).toBe(colours.RU);
  });
});
