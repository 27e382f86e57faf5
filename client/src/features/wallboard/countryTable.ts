import type { TrafficPoint } from '@surgewatch/shared';
import { OTHER_KEY } from '@surgewatch/shared';
import { lowerBound } from '../../store/pointBuffer.js';
import { relativeChange } from './totals.js';

export interface CountryRow {
  key: string;
  /** Mean bits/s and packets/s over the "now" span. */
  bps: number;
  pps: number;
  /** Fraction of the total bits/s, 0..1. */
  share: number;
  /** Relative change of bps against the baseline span; null when it had none. */
  change: number | null;
}

export interface CountryTableOptions {
  rows?: number;
  currentMs?: number;
  baselineMs?: number;
}

/** Mean bps/pps per country key over [from, to); a key absent from a second counts 0 there. */
function meansByKey(points: readonly TrafficPoint[], from: number, to: number) {
  const sums = new Map<string, { bps: number; pps: number }>();
  let total = 0;
  let n = 0;
  for (let i = lowerBound(points, from); i < points.length && points[i]!.t < to; i++) {
    const p = points[i]!;
    n++;
    total += p.total.bps;
    for (const g of p.countries) {
      const s = sums.get(g.key) ?? { bps: 0, pps: 0 };
      s.bps += g.bps;
      s.pps += g.pps;
      sums.set(g.key, s);
    }
  }
  if (n > 1) {
    total /= n;
    for (const s of sums.values()) {
      s.bps /= n;
      s.pps /= n;
    }
  }
  return { sums, total, n };
}

/**
 * The busiest source countries right now (mean over the last `currentMs` of complete points),
 * largest first, with their share of the total and change against the minute before; the
 * rest, `other` included, folded into one trailing `other` row when non-zero.
 */
export function countryTable(
  points: readonly TrafficPoint[],
  stepMs: number,
  options: CountryTableOptions = {},
): { rows: CountryRow[]; totalBps: number } {
  const { rows: maxRows = 8, currentMs = 5_000, baselineMs = 60_000 } = options;
  const newest = points[points.length - 1];
  if (newest === undefined) return { rows: [], totalBps: 0 };
  const end = newest.t + stepMs;
  const now = meansByKey(points, end - currentMs, end);
  const base = meansByKey(points, end - currentMs - baselineMs, end - currentMs);
  const share = (bps: number) => (now.total > 0 ? bps / now.total : 0);

  const ranked = [...now.sums.entries()]
    .filter(([k, s]) => k !== OTHER_KEY && s.bps > 0)
    .sort((a, b) => b[1].bps - a[1].bps || a[0].localeCompare(b[0]));
  const rows: CountryRow[] = ranked.slice(0, maxRows).map(([key, s]) => ({
    key,
    bps: s.bps,
    pps: s.pps,
    share: share(s.bps),
    change: base.n > 0 ? relativeChange(s.bps, base.sums.get(key)?.bps ?? 0) : null,
  }));
  const shown = rows.reduce((acc, r) => ({ bps: acc.bps + r.bps, pps: acc.pps + r.pps }), {
    bps: 0,
    pps: 0,
  });
  const rest = {
    bps: Math.max(0, now.total - shown.bps),
    pps: [...now.sums.values()].reduce((acc, s) => acc + s.pps, 0) - shown.pps,
  };
  if (rest.bps > 0) {
    rows.push({
      key: OTHER_KEY,
      bps: rest.bps,
      pps: Math.max(0, rest.pps),
      share: share(rest.bps),
      change: null,
    });
  }
  return { rows, totalBps: now.total };
}
