import type { TrafficPoint } from '@surgewatch/shared';
import { assignColours, colourOf } from './palette.js';
import type { SeriesRow } from './toSeries.js';
import {
  bucketMsFor,
  createRowCache,
  createWindowTotals,
  toSeries,
  visibleWindow,
} from './toSeries.js';

/** What the traffic chart draws for one window. */
export interface ChartModel {
  /** Chosen keys largest first, then `other`: the stacking order, bottom up. */
  keys: string[];
  colours: Record<string, string>;
  rows: SeriesRow[];
  /** x-axis domain, ms epoch: the full window ending at the newest point. */
  domain: [number, number];
  bucketMs: number;
}

/**
 * A memoising chart model that remembers its last choice of countries and colours between
 * calls, so the top N sticks (hysteresis) and a country keeps its colour while it stays on
 * screen. Changing the window keeps the memory, so colours survive 5 ↔ 60 min switches.
 */
export function createChartModel(
  topN: number,
): (points: readonly TrafficPoint[], windowMs: number, stepMs: number) => ChartModel {
  let previousKeys: string[] = [];
  let slots = new Map<string, number>();
  // a tick changes a second or two of the window: the sums and rows of the rest are kept
  const totals = createWindowTotals();
  const cache = createRowCache();
  let last: {
    points: readonly TrafficPoint[];
    windowMs: number;
    stepMs: number;
    model: ChartModel;
  } | null = null;

  return (points, windowMs, stepMs) => {
    // Same inputs (StrictMode double render, unrelated re-render): same answer, same memory.
    if (last && last.points === points && last.windowMs === windowMs && last.stepMs === stepMs)
      return last.model;
    const visible = visibleWindow(points, windowMs);
    const bucketMs = bucketMsFor(windowMs, stepMs);
    // a silence longer than two rows (and than the REST history's 6 s step) is a gap
    const gapMs = Math.max(2 * bucketMs, 15_000);
    const { keys, rows } = toSeries(visible, topN, {
      previousKeys,
      bucketMs,
      gapMs,
      totals: totals(visible),
      cache,
    });
    slots = assignColours(keys, slots);
    previousKeys = keys;
    const colours: Record<string, string> = {};
    for (const k of keys) colours[k] = colourOf(k, slots);
    const end = (points[points.length - 1]?.t ?? 0) + stepMs;
    const model: ChartModel = { keys, colours, rows, domain: [end - windowMs, end], bucketMs };
    last = { points, windowMs, stepMs, model };
    return model;
  };
}
