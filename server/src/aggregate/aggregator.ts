import type { Flow, GroupRates, Rates, TrafficPoint } from '@surgewatch/shared';
import { OTHER_KEY } from '@surgewatch/shared';
import type { SourceKeys } from '../flow.js';
import { addInto, emptyCounters, type Counters } from './counters.js';
import { hash32 } from './hash.js';
import { HyperLogLog } from './hll.js';
import { spreadFlow } from './spread.js';

/** The groupings kept per bucket. Grows with the aggregation issue (region, ASN, …). */
export type GroupBy = 'country';

export interface Bucket {
  /** Start of the second, ms epoch. */
  readonly t: number;
  readonly total: Counters;
  readonly sources: HyperLogLog;
  readonly country: Map<string, Counters>;
}

export interface AggregatorOptions {
  /** Bucket width, ms. */
  stepMs: number;
  /** How long buckets are kept, ms. */
  retentionMs: number;
  /** Longest span a single flow is spread over, ms. */
  maxSpreadMs: number;
}

export interface AggregatorStats {
  /** Flows aggregated since start. */
  flows: number;
  /** Flows whose end fell before the retention horizon: counted, then dropped. */
  late: number;
  buckets: number;
}

/** Sums of one group over a time range, and its per-step series in the chosen metric. */
export interface RangeGroup extends Counters {
  key: string;
  series: number[];
}

export interface RangeResult {
  from: number;
  to: number;
  stepMs: number;
  times: number[];
  totals: Counters;
  groups: RangeGroup[];
}

/**
 * Per-second event-time buckets (keyed by flow end, long flows spread over their duration),
 * kept for the retention window. Pure: time enters only through `advance(now)`.
 */
export class Aggregator {
  private readonly buckets = new Map<number, Bucket>();
  /** Buckets older than this (ms epoch) are gone; flows ending before it are late. */
  private horizon = -Infinity;
  private readonly stats: AggregatorStats = { flows: 0, late: 0, buckets: 0 };

  constructor(private readonly opts: AggregatorOptions) {}

  /** Aggregates one flow with its enrichment. Returns false when it was too late to keep. */
  add(flow: Flow, keys: SourceKeys): boolean {
    if (flow.end < this.horizon) {
      this.stats.late++;
      return false;
    }
    this.stats.flows++;
    const start = Math.max(flow.start, this.horizon);
    const shares = spreadFlow(
      start,
      flow.end,
      flow.bytes,
      flow.packets,
      this.opts.maxSpreadMs,
      this.opts.stepMs,
    );
    const srcHash = hash32(flow.src);
    const lastIdx = shares.length - 1;
    for (let i = 0; i <= lastIdx; i++) {
      const share = shares[i] as (typeof shares)[number];
      const b = this.bucket(share.t);
      // a flow record counts once, in the second it ended
      const flows = i === lastIdx ? 1 : 0;
      b.total.bytes += share.bytes;
      b.total.packets += share.packets;
      b.total.flows += flows;
      b.sources.add(srcHash);
      let c = b.country.get(keys.country);
      if (!c) {
        c = emptyCounters();
        b.country.set(keys.country, c);
      }
      c.bytes += share.bytes;
      c.packets += share.packets;
      c.flows += flows;
    }
    return true;
  }

  /** Moves the horizon to `now − retention` and drops older buckets. */
  advance(now: number): void {
    const horizon = now - this.opts.retentionMs;
    this.horizon = horizon - (horizon % this.opts.stepMs);
    for (const t of this.buckets.keys()) if (t < this.horizon) this.buckets.delete(t);
    this.stats.buckets = this.buckets.size;
  }

  private bucket(t: number): Bucket {
    let b = this.buckets.get(t);
    if (!b) {
      b = { t, total: emptyCounters(), sources: new HyperLogLog(), country: new Map() };
      this.buckets.set(t, b);
    }
    return b;
  }

  getStats(): Readonly<AggregatorStats> {
    return { ...this.stats, buckets: this.buckets.size };
  }

  /**
   * The live view of one second: rates (per second = the bucket's sums, scaled by
   * 1000 / stepMs), the top `topN` countries by bps and an `other` entry for the rest.
   */
  point(t: number, topN: number): TrafficPoint {
    const b = this.buckets.get(t);
    const perSec = 1000 / this.opts.stepMs;
    if (!b) return { t, total: { bps: 0, pps: 0, fps: 0 }, sources: 0, countries: [] };
    const groups = [...b.country.entries()].sort((x, y) => y[1].bytes - x[1].bytes);
    const countries: GroupRates[] = [];
    const other = emptyCounters();
    for (let i = 0; i < groups.length; i++) {
      const [key, c] = groups[i] as [string, Counters];
      if (i < topN) countries.push({ key, ...toRates(c, perSec) });
      else addInto(other, c);
    }
    if (groups.length > topN) countries.push({ key: OTHER_KEY, ...toRates(other, perSec) });
    return { t, total: toRates(b.total, perSec), sources: b.sources.estimate(), countries };
  }

  /** Points for every second in [from, to), oldest first, empty seconds included. */
  points(from: number, to: number, topN: number): TrafficPoint[] {
    const out: TrafficPoint[] = [];
    const step = this.opts.stepMs;
    for (let t = from - (from % step); t < to; t += step) out.push(this.point(t, topN));
    return out;
  }

  /**
   * Exact sums per group over [from, to), with a series per `stepMs` (a multiple of the
   * bucket width) in `metric` units per second. Groups are sorted by bytes, descending.
   */
  range(
    from: number,
    to: number,
    stepMs: number,
    by: GroupBy,
    metric: keyof Rates,
    top: number,
  ): RangeResult {
    const base = this.opts.stepMs;
    const step = Math.max(base, stepMs - (stepMs % base));
    const start = from - (from % base);
    const nSteps = Math.max(0, Math.ceil((to - start) / step));
    const times = Array.from({ length: nSteps }, (_, i) => start + i * step);
    const totals = emptyCounters();
    const groups = new Map<string, RangeGroup>();
    for (const [t, b] of this.buckets) {
      if (t < start || t >= to) continue;
      const idx = Math.floor((t - start) / step);
      addInto(totals, b.total);
      for (const [key, c] of b[by]) {
        let g = groups.get(key);
        if (!g) {
          g = { key, ...emptyCounters(), series: new Array<number>(nSteps).fill(0) };
          groups.set(key, g);
        }
        addInto(g, c);
        g.series[idx] = (g.series[idx] as number) + metricOf(c, metric);
      }
    }
    const perSec = 1000 / step;
    const sorted = [...groups.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top);
    for (const g of sorted) g.series = g.series.map((v) => v * perSec);
    return { from: start, to, stepMs: step, times, totals, groups: sorted };
  }
}

function metricOf(c: Counters, metric: keyof Rates): number {
  if (metric === 'bps') return c.bytes * 8;
  if (metric === 'pps') return c.packets;
  return c.flows;
}

function toRates(c: Counters, perSec: number): Rates {
  return { bps: c.bytes * 8 * perSec, pps: c.packets * perSec, fps: c.flows * perSec };
}
