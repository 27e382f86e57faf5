import type { TrafficPoint } from '@surgewatch/shared';
import { OTHER_KEY } from '@surgewatch/shared';
import { lowerBound } from '../../store/pointBuffer.js';

/** One chart row: `t` (bucket start, ms epoch) and bits/s per series key, e.g. `{t, RU, BR, other}`. */
/** One chart row: bits/s per key at time `t`; every key null in a gap row (the line breaks there). */
export type SeriesRow = { t: number } & Record<string, number | null>;

/**
 * Row fields of the total's baseline band (its median and alert threshold, bits/s), averaged
 * like the keys; absent where detection had no warm baseline. No country key looks like them.
 */
export const BAND_LO = '_bandLo';
export const BAND_HI = '_bandHi';
type AccRow = { t: number } & Record<string, number>;

export interface Series {
  /** The chosen country keys, largest first, then `other` (always present, last). */
  keys: string[];
  rows: SeriesRow[];
}

export interface SeriesOptions {
  /** Keys chosen last time: they keep their place unless clearly beaten (hysteresis). */
  previousKeys?: readonly string[];
  /** How much a newcomer must beat an incumbent by, as a fraction (0.25 = 25 %). */
  stickiness?: number;
  /** Row width, ms: points are averaged into buckets aligned to multiples of it. */
  bucketMs?: number;
  /**
   * Points further apart than this (ms) have no data between them (a disconnect, the seam
   * between history and live): a row of nulls goes between, so the chart shows a gap rather
   * than a slope that never happened. Default: never.
   */
  gapMs?: number;
}

/** The points within `windowMs` of the newest one (t > newest − window), oldest first. */
export function visibleWindow(
  points: readonly TrafficPoint[],
  windowMs: number,
): readonly TrafficPoint[] {
  const newest = points[points.length - 1];
  if (newest === undefined) return points;
  return points.slice(lowerBound(points, newest.t - windowMs + 1));
}

/** Sum of bits/s per country key over `points` (the `other` entry excluded). */
export function countryTotals(points: readonly TrafficPoint[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const p of points) {
    for (const g of p.countries) {
      if (g.key !== OTHER_KEY) totals.set(g.key, (totals.get(g.key) ?? 0) + g.bps);
    }
  }
  return totals;
}

/**
 * Chooses the `topN` keys with the most traffic, largest first. Keys in `previous` get their
 * total multiplied by (1 + stickiness) when competing, so two countries of similar size do
 * not swap every second and the chart's colours and stacking stay put. Keys with no traffic
 * are never chosen.
 */
export function pickTopKeys(
  totals: ReadonlyMap<string, number>,
  topN: number,
  previous: readonly string[] = [],
  stickiness = 0.25,
): string[] {
  const held = new Set(previous);
  const score = (k: string) => (totals.get(k) ?? 0) * (held.has(k) ? 1 + stickiness : 1);
  const chosen = [...totals.keys()]
    .filter((k) => (totals.get(k) ?? 0) > 0)
    .sort((a, b) => score(b) - score(a) || a.localeCompare(b))
    .slice(0, Math.max(0, topN));
  return chosen.sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || a.localeCompare(b));
}

/**
 * Row width so a window of `windowMs` needs at most `maxRows` rows: a whole number of steps.
 * (60 min of 1 s points → 6 s rows; SVG with 3600 vertices per band is slow on wall PCs.)
 */
export function bucketMsFor(windowMs: number, stepMs: number, maxRows = 300): number {
  return stepMs * Math.max(1, Math.ceil(windowMs / stepMs / maxRows));
}

/**
 * Turns points (oldest first) into stacked-chart rows of bits/s: one column per chosen key
 * plus `other` = the point's total minus the chosen keys, so every stack is the true total.
 * A chosen key absent from a point (outside the server's per-second top N) counts as 0 there.
 * With `bucketMs`, rows average the points in aligned buckets (rates stay rates).
 */
export function toSeries(
  points: readonly TrafficPoint[],
  topN: number,
  options: SeriesOptions = {},
): Series {
  const chosen = pickTopKeys(countryTotals(points), topN, options.previousKeys, options.stickiness);
  const keys = [...chosen, OTHER_KEY];
  const bucketMs = options.bucketMs ?? 0;
  const rows: SeriesRow[] = [];
  let acc: AccRow | null = null;
  let n = 0;
  const gapMs = options.gapMs ?? Number.POSITIVE_INFINITY;
  let prevT: number | null = null;

  let bands = 0;
  const close = () => {
    if (acc === null) return;
    if (n > 1) for (const k of keys) acc[k] = acc[k]! / n;
    if (bands > 0) {
      acc[BAND_LO] = acc[BAND_LO]! / bands;
      acc[BAND_HI] = acc[BAND_HI]! / bands;
    }
    rows.push(acc);
  };

  for (const p of points) {
    const t = bucketMs > 0 ? Math.floor(p.t / bucketMs) * bucketMs : p.t;
    if (prevT !== null && p.t - prevT > gapMs && acc !== null) {
      close();
      const gap = { t: acc.t + Math.max(bucketMs, 1) } as SeriesRow;
      for (const k of keys) gap[k] = null;
      if (gap.t < t) rows.push(gap);
      acc = null;
    }
    prevT = p.t;
    if (acc === null || acc.t !== t) {
      close();
      acc = { t } as AccRow;
      for (const k of keys) acc[k] = 0;
      n = 0;
      bands = 0;
    }
    n++;
    if (p.band) {
      acc[BAND_LO] = (acc[BAND_LO] ?? 0) + p.band.median;
      acc[BAND_HI] = (acc[BAND_HI] ?? 0) + p.band.upper;
      bands++;
    }
    let chosenSum = 0;
    for (const g of p.countries) {
      if (g.key !== OTHER_KEY && acc[g.key] !== undefined) {
        acc[g.key] = acc[g.key]! + g.bps;
        chosenSum += g.bps;
      }
    }
    acc[OTHER_KEY] = acc[OTHER_KEY]! + Math.max(0, p.total.bps - chosenSum);
  }
  close();
  return { keys, rows };
}
