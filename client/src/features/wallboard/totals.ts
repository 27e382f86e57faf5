import type { TrafficPoint } from '@surgewatch/shared';
import { lowerBound } from '../../store/pointBuffer.js';

/** Per-second rates: bits/s, packets/s, flow records/s, distinct sources seen per second. */
export interface RateSummary {
  bps: number;
  pps: number;
  fps: number;
  sources: number;
}

export type RateKey = keyof RateSummary;
export const RATE_KEYS: readonly RateKey[] = ['bps', 'pps', 'fps', 'sources'];

export interface HeadlineOptions {
  /** Width of the "now" average, ms: smooths the per-second jitter of flow export. */
  currentMs?: number;
  /** Width of the baseline right before it, ms, for the trend. */
  baselineMs?: number;
  /** Span of the sparklines, ms, and how many averaged values they hold. */
  sparkMs?: number;
  sparkBuckets?: number;
}

export interface Headline {
  current: RateSummary;
  /** Relative change of current against the baseline (0.1 = +10 %); null without a baseline. */
  change: Record<RateKey, number | null>;
  /** Oldest first, evenly spaced, for the sparklines. */
  spark: Record<RateKey, number[]>;
  /** End of the "now" average (ms epoch, exclusive): the newest complete second. */
  asOf: number | null;
}

/**
 * The points whose second is over by server time `serverNow` (ms): the newest bucket is
 * still filling and would make every headline dip once a second.
 */
export function completePoints(
  points: readonly TrafficPoint[],
  serverNow: number | null,
  stepMs: number,
): readonly TrafficPoint[] {
  if (serverNow === null) return points;
  let end = points.length;
  while (end > 0 && points[end - 1]!.t + stepMs > serverNow) end--;
  return end === points.length ? points : points.slice(0, end);
}

/**
 * Mean rates over the seconds in [from, to) (ms epoch). Seconds with no point count as
 * silent only within the span the points cover, so a short history is not diluted.
 */
export function meanRates(
  points: readonly TrafficPoint[],
  from: number,
  to: number,
): RateSummary | null {
  const sum: RateSummary = { bps: 0, pps: 0, fps: 0, sources: 0 };
  let n = 0;
  for (let i = lowerBound(points, from); i < points.length && points[i]!.t < to; i++) {
    const p = points[i]!;
    sum.bps += p.total.bps;
    sum.pps += p.total.pps;
    sum.fps += p.total.fps;
    sum.sources += p.sources;
    n++;
  }
  if (n === 0) return null;
  return { bps: sum.bps / n, pps: sum.pps / n, fps: sum.fps / n, sources: sum.sources / n };
}

/** Relative change of `now` against `before` (0.5 = +50 %); null when there is no baseline. */
export function relativeChange(now: number, before: number | undefined): number | null {
  if (before === undefined || !(before > 0)) return null;
  return now / before - 1;
}

/**
 * Headline numbers from complete points (oldest first): the mean of the last `currentMs`,
 * its change against the `baselineMs` before that, and sparkline values.
 */
export function headline(
  points: readonly TrafficPoint[],
  stepMs: number,
  options: HeadlineOptions = {},
): Headline {
  const { currentMs = 5_000, baselineMs = 60_000, sparkMs = 300_000, sparkBuckets = 60 } = options;
  const newest = points[points.length - 1];
  const empty = { bps: 0, pps: 0, fps: 0, sources: 0 };
  if (newest === undefined) {
    return {
      current: empty,
      change: { bps: null, pps: null, fps: null, sources: null },
      spark: { bps: [], pps: [], fps: [], sources: [] },
      asOf: null,
    };
  }
  const end = newest.t + stepMs;
  const current = meanRates(points, end - currentMs, end) ?? empty;
  const base = meanRates(points, end - currentMs - baselineMs, end - currentMs);
  const change = {} as Record<RateKey, number | null>;
  const spark = {} as Record<RateKey, number[]>;
  for (const k of RATE_KEYS) {
    change[k] = relativeChange(current[k], base?.[k]);
    spark[k] = [];
  }
  const width = sparkMs / sparkBuckets;
  for (let b = 0; b < sparkBuckets; b++) {
    const from = end - sparkMs + b * width;
    const m = meanRates(points, from, from + width);
    if (m) for (const k of RATE_KEYS) spark[k].push(m[k]);
  }
  return { current, change, spark, asOf: end };
}
