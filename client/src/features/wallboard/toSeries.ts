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
 * `countryTotals` kept up to date as the window slides: each call adds the points that are
 * new (by identity; points are never mutated) and takes away those that left, instead of
 * summing the whole window again. Both arrays are sorted by `t` with one point per `t`.
 */
export function createWindowTotals(): (points: readonly TrafficPoint[]) => Map<string, number> {
  let previous: readonly TrafficPoint[] = [];
  const sums = new Map<string, { sum: number; n: number }>();
  const apply = (p: TrafficPoint, sign: 1 | -1) => {
    for (const g of p.countries) {
      if (g.key === OTHER_KEY) continue;
      const s = sums.get(g.key);
      if (s) {
        s.sum += sign * g.bps;
        s.n += sign;
        if (s.n === 0) sums.delete(g.key);
      } else sums.set(g.key, { sum: g.bps, n: 1 });
    }
  };
  return (points) => {
    let i = 0;
    let j = 0;
    while (i < previous.length || j < points.length) {
      const a = previous[i];
      const b = points[j];
      if (b === undefined || (a !== undefined && a.t < b.t)) {
        apply(a!, -1);
        i++;
      } else if (a === undefined || b.t < a.t) {
        apply(b, 1);
        j++;
      } else {
        if (a !== b) {
          apply(a, -1);
          apply(b, 1);
        }
        i++;
        j++;
      }
    }
    previous = points;
    const out = new Map<string, number>();
    // what adding and taking away leaves of a zero is rounding, not traffic
    for (const [key, s] of sums) out.set(key, s.sum > 1e-6 ? s.sum : 0);
    return out;
  };
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

/** A row and the points (by identity) it was made from. */
interface CachedRow {
  points: readonly TrafficPoint[];
  row: SeriesRow;
}

/**
 * Rows remembered between calls of `toSeries`: a bucket holding the very same point objects
 * as last time, with the same keys and bucket width, is not averaged again (a tick changes
 * the newest bucket or two, not the other 300). Each call keeps only the buckets it drew.
 */
export interface RowCache {
  signature: string;
  rows: Map<number, CachedRow>;
}

export function createRowCache(): RowCache {
  return { signature: '', rows: new Map() };
}

/**
 * Turns points (oldest first) into stacked-chart rows of bits/s: one column per chosen key
 * plus `other` = the point's total minus the chosen keys, so every stack is the true total.
 * A chosen key absent from a point (outside the server's per-second top N) counts as 0 there.
 * With `bucketMs`, rows average the points in aligned buckets (rates stay rates). `totals`
 * (`countryTotals(points)`, if the caller keeps it up to date) and `cache` save the work
 * that a tick leaves unchanged.
 */
export function toSeries(
  points: readonly TrafficPoint[],
  topN: number,
  options: SeriesOptions & { totals?: ReadonlyMap<string, number>; cache?: RowCache } = {},
): Series {
  const totals = options.totals ?? countryTotals(points);
  const chosen = pickTopKeys(totals, topN, options.previousKeys, options.stickiness);
  const keys = [...chosen, OTHER_KEY];
  const bucketMs = options.bucketMs ?? 0;
  const gapMs = options.gapMs ?? Number.POSITIVE_INFINITY;
  const bucketOf = (t: number) => (bucketMs > 0 ? Math.floor(t / bucketMs) * bucketMs : t);
  const cache = options.cache;
  const signature = `${keys.join(',')}|${bucketMs}`;
  const previous = cache?.signature === signature ? cache.rows : null;
  const kept = new Map<number, CachedRow>();
  const rows: SeriesRow[] = [];

  let start = 0;
  for (let i = 1; i <= points.length; i++) {
    const prev = points[i - 1]!;
    const p = points[i];
    const t = bucketOf(prev.t);
    const gap = p !== undefined && p.t - prev.t > gapMs;
    if (p !== undefined && !gap && bucketOf(p.t) === t) continue;
    // points[start, i) make one row
    const old = previous?.get(t);
    const row =
      old && samePoints(old.points, points, start, i)
        ? old.row
        : bucketRow(points, start, i, t, keys);
    kept.set(t, { points: points.slice(start, i), row });
    rows.push(row);
    if (gap) {
      const blank = { t: t + Math.max(bucketMs, 1) } as SeriesRow;
      for (const k of keys) blank[k] = null;
      if (blank.t < bucketOf(p.t)) rows.push(blank);
    }
    start = i;
  }
  if (cache) {
    cache.signature = signature;
    cache.rows = kept;
  }
  return { keys, rows };
}

function samePoints(
  a: readonly TrafficPoint[],
  points: readonly TrafficPoint[],
  from: number,
  to: number,
): boolean {
  if (a.length !== to - from) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== points[from + k]) return false;
  return true;
}

/** The row at `t` averaging points[from, to). */
function bucketRow(
  points: readonly TrafficPoint[],
  from: number,
  to: number,
  t: number,
  keys: readonly string[],
): SeriesRow {
  const acc = { t } as AccRow;
  for (const k of keys) acc[k] = 0;
  let bands = 0;
  let lo = 0;
  let hi = 0;
  for (let i = from; i < to; i++) {
    const p = points[i]!;
    if (p.band) {
      lo += p.band.median;
      hi += p.band.upper;
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
  const n = to - from;
  if (n > 1) for (const k of keys) acc[k] = acc[k]! / n;
  if (bands > 0) {
    acc[BAND_LO] = lo / bands;
    acc[BAND_HI] = hi / bands;
  }
  return acc;
}
