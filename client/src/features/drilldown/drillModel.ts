import type { DrillDimension, TrafficRange } from '@surgewatch/shared';
import { OTHER_KEY } from '@surgewatch/shared';
import { assignColours, colourOf, OTHER_COLOUR } from '../wallboard/palette.js';

/** What the drill-down breaks a country down by: its networks, source addresses, targets, vectors. */
export const DRILL_TABLES = ['asn', 'source', 'destination', 'vector'] as const;
export type DrillTableBy = (typeof DRILL_TABLES)[number];

/** What the drill-down chart can stack by (the URL's `drillBy=`). */
export const DRILL_CHART_BY = [
  'asn',
  'vector',
  'destination',
] as const satisfies readonly DrillDimension[];
export type DrillChartBy = (typeof DRILL_CHART_BY)[number];

export const DRILL_TITLES: Record<DrillTableBy, string> = {
  asn: 'Networks',
  source: 'Source addresses',
  destination: 'Targets',
  vector: 'Vectors',
};

/** One group of a drilled country over the window. */
export interface DrillRow {
  key: string;
  name: string;
  /** Bits/s averaged over the whole window. */
  avgBps: number;
  /** The highest step average in the window, bits/s. */
  peakBps: number;
  /** Share of the country's bytes over the window, 0…1. */
  share: number;
  /** Bits/s per step, oldest first. */
  series: readonly number[];
}

/**
 * The rows of one drill-down table, heaviest first, `other` last (it is the rest, not a
 * group of its own), from a `GET /api/traffic?country=` answer in bits/s.
 */
export function toDrillRows(body: TrafficRange): DrillRow[] {
  const seconds = Math.max(1, (body.to - body.from) / 1000);
  const total = body.totals.bytes;
  const rows = body.groups
    .filter((g) => g.bytes > 0)
    .map((g) => ({
      key: g.key,
      name: g.name,
      avgBps: (g.bytes * 8) / seconds,
      peakBps: g.series.reduce((m, v) => Math.max(m, v), 0),
      share: total > 0 ? g.bytes / total : 0,
      series: g.series,
    }));
  const other = rows.filter((r) => r.key === OTHER_KEY);
  return [...rows.filter((r) => r.key !== OTHER_KEY), ...other];
}

/** The stacked drill-down chart: one row per step, one key per group, colours that hold. */
export interface DrillChart {
  keys: string[];
  names: Record<string, string>;
  colours: Record<string, string>;
  rows: Record<string, number>[];
  domain: [number, number];
}

/**
 * Chart rows from a drill-down answer: each step's time `t` and every group's bits/s. Keys
 * keep their palette slot from `slots` (updated in place) so colours do not jump on refresh.
 */
export function toDrillChart(body: TrafficRange, slots: Map<string, number>): DrillChart {
  const groups = body.groups.filter((g) => g.bytes > 0);
  const ranked = groups.filter((g) => g.key !== OTHER_KEY).map((g) => g.key);
  const next = assignColours(ranked, slots);
  slots.clear();
  for (const [k, v] of next) slots.set(k, v);
  const keys = [...ranked, ...groups.filter((g) => g.key === OTHER_KEY).map((g) => g.key)];
  const names: Record<string, string> = {};
  const colours: Record<string, string> = {};
  for (const g of groups) {
    names[g.key] = g.name;
    colours[g.key] = g.key === OTHER_KEY ? OTHER_COLOUR : colourOf(g.key, next);
  }
  const rows = body.times.map((t, i) => {
    const row: Record<string, number> = { t };
    for (const g of groups) row[g.key] = g.series[i] ?? 0;
    return row;
  });
  return { keys, names, colours, rows, domain: [body.from, body.to] };
}
