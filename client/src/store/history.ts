import type { GroupRates, TrafficPoint, TrafficRange } from '@surgewatch/shared';
import { lowerBound } from './pointBuffer.js';

/**
 * The JSON answer of `GET /api/traffic` (see docs: HTTP contract), as far as the client
 * reads it. `series` holds the chosen metric per step (bits/s for `metric=bps`).
 */
export type TrafficRangeBody = Pick<
  TrafficRange,
  'by' | 'metric' | 'from' | 'to' | 'stepMs' | 'times'
> & { groups: Pick<TrafficRange['groups'][number], 'key' | 'name' | 'series'>[] };

/**
 * A range of country bits/s → chart points, one per step, oldest first. Only bits/s is
 * known (pps, fps and sources are 0): these points feed the chart, never the headline.
 * The groups include the server's `other`, so each point's total is the sum of its groups.
 */
export function rangeToPoints(body: TrafficRangeBody): {
  points: TrafficPoint[];
  names: Record<string, string>;
} {
  const names: Record<string, string> = {};
  for (const g of body.groups) names[g.key] = g.name;
  const points = body.times.map((t, i): TrafficPoint => {
    const countries: GroupRates[] = [];
    let total = 0;
    for (const g of body.groups) {
      const bps = g.series[i] ?? 0;
      if (bps > 0) countries.push({ key: g.key, bps, pps: 0, fps: 0 });
      total += bps;
    }
    return { t, total: { bps: total, pps: 0, fps: 0 }, sources: 0, countries };
  });
  return { points, names };
}

/** The range to fetch so the chart reaches `windowMs` back from the live buffer's newest point. */
export function historyRange(
  live: readonly TrafficPoint[],
  windowMs: number,
  stepMs: number,
): { from: number; to: number } | null {
  const oldest = live[0];
  const newest = live[live.length - 1];
  if (!oldest || !newest) return null;
  const from = Math.floor((newest.t - windowMs) / stepMs) * stepMs;
  const to = Math.floor(oldest.t / stepMs) * stepMs;
  return to - from >= stepMs ? { from, to } : null;
}

/**
 * The fetched history where the live buffer does not reach, then the live points: history
 * steps that end after the first live second are dropped so nothing is counted twice.
 */
export function withHistory(
  history: readonly TrafficPoint[],
  live: readonly TrafficPoint[],
  historyStepMs: number,
): readonly TrafficPoint[] {
  const first = live[0];
  if (history.length === 0) return live;
  if (!first) return history;
  let cut = lowerBound(history, first.t - historyStepMs + 1);
  while (cut > 0 && history[cut - 1]!.t + historyStepMs > first.t) cut--;
  return cut === 0 ? live : [...history.slice(0, cut), ...live];
}
