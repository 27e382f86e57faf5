import type { TrafficRange } from '@surgewatch/shared';
import type { FetchJson } from '../../store/loadHistory.js';
import { DRILL_TABLES, type DrillTableBy } from './drillModel.js';

/** Groups per table: the heaviest eight and "other". */
export const DRILL_TOP = 8;

/** Step of the drill-down series for a window: about 60–90 points whatever the window. */
export function drillStepMs(windowMs: number): number {
  if (windowMs <= 5 * 60_000) return 5_000;
  if (windowMs <= 15 * 60_000) return 10_000;
  return 30_000;
}

/** `GET /api/traffic` for one country by one dimension over the window ending at `endMs`. */
export function drillUrl(
  country: string,
  by: DrillTableBy,
  windowMs: number,
  endMs: number,
): string {
  const step = drillStepMs(windowMs);
  // whole steps, ending with the last complete second, so refreshes line up
  const to = Math.floor(endMs / 1000) * 1000;
  const from = Math.floor((to - windowMs) / step) * step;
  const q = new URLSearchParams({
    by,
    country,
    metric: 'bps',
    from: String(from),
    to: String(to),
    step: String(step),
    top: String(DRILL_TOP),
  });
  return `/api/traffic?${q.toString()}`;
}

export type DrillData = Record<DrillTableBy, TrafficRange>;

/** Fetches every drill-down table of one country at once; rejects if any of them fails. */
export async function loadDrill(
  country: string,
  windowMs: number,
  endMs: number,
  get: FetchJson,
): Promise<DrillData> {
  const bodies = await Promise.all(
    DRILL_TABLES.map((by) => get(drillUrl(country, by, windowMs, endMs))),
  );
  const out = {} as DrillData;
  DRILL_TABLES.forEach((by, i) => (out[by] = bodies[i] as TrafficRange));
  return out;
}
