import type { Dimension, GroupRates, TrafficPoint, TrafficTick } from '@surgewatch/shared';
import { DIMENSIONS } from '@surgewatch/shared';

/**
 * Builds a TrafficPoint for tests: `countries` maps key → bps (pps and fps derived), and the
 * total is their sum.
 */
export function point(
  t: number,
  countries: Record<string, number> = {},
  sources = 10,
): TrafficPoint {
  const groups: GroupRates[] = Object.entries(countries).map(([key, bps]) => ({
    key,
    bps,
    pps: bps / 8000,
    fps: bps / 800_000,
  }));
  const bps = groups.reduce((s, g) => s + g.bps, 0);
  return { t, total: { bps, pps: bps / 8000, fps: bps / 800_000 }, sources, countries: groups };
}

/** `n` consecutive one-second points starting at `t0`, each made by `f(i)`. */
export function seconds(
  t0: number,
  n: number,
  f: (i: number) => Record<string, number>,
): TrafficPoint[] {
  return Array.from({ length: n }, (_, i) => point(t0 + i * 1000, f(i)));
}

/** Every dimension with no top keys (ticks and snapshots carry one). */
export function emptyTop(): Record<Dimension, never[]> {
  const top = {} as Record<Dimension, never[]>;
  for (const d of DIMENSIONS) top[d] = [];
  return top;
}

/** A `traffic:tick` for tests. */
export function tick(
  now: number,
  points: TrafficPoint[],
  names: Record<string, string> = {},
): TrafficTick {
  return Object.assign({ now, points, names }, { top: emptyTop() });
}
