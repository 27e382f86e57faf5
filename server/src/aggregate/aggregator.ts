import type {
  AggDimension,
  Dimension,
  DrillDimension,
  Flow,
  GroupRates,
  Rates,
  TrafficPoint,
} from '@surgewatch/shared';
import { AGG_DIMENSIONS, DIMENSIONS, OTHER_KEY, PAIR_SEP, PAIRS, pairOf } from '@surgewatch/shared';
import type { FlowKeys } from '../flow.js';
import {
  addSealed,
  countersOf,
  emptyBucket,
  forEachKey,
  seal,
  topOf,
  type Bucket,
  type SealLimits,
} from './bucket.js';
import { addInto, emptyCounters, type Counters } from './counters.js';
import { FlowSample, flowHash } from './flowSample.js';
import { hash32 } from './hash.js';
import { addSource, emptyKeyAgg, mergeKeyAgg, type KeyAgg } from './keyAgg.js';
import { compactRollup, emptyRollup, foldInto, type Rollup } from './rollup.js';
import type { Hitter } from './spaceSaving.js';
import { spreadFlow } from './spread.js';

export interface AggregatorOptions {
  /** Bucket width, ms. */
  stepMs: number;
  /** How long per-second buckets are kept, ms. */
  retentionMs: number;
  /** Longest span a single flow is spread over, ms. */
  maxSpreadMs: number;
  /** Seconds older than this are sealed (compacted), ms. */
  sealAfterMs: number;
  limits: SealLimits;
  /** Rollup bucket width, ms (a minute). */
  rollupStepMs: number;
  /** How long rollups are kept, ms (24 h). */
  rollupRetentionMs: number;
  /** The per-second flow samples (default {@link DEFAULT_SAMPLE}). */
  sample?: SampleOptions;
}

/** How many flows each second's priority sample keeps, and for how long. */
export interface SampleOptions {
  /** Flows sampled per open second. */
  open: number;
  /** Flows a second keeps once sealed (the heaviest-priority ones: still an exact sample). */
  sealed: number;
  /** Seconds older than this (ms) drop their sample. */
  keepMs: number;
}

/**
 * 256 flows a second while open (what alert explanations read), 32 once sealed, none past
 * 15 minutes: ≈ 150 bytes a flow with its source address, so ≈ 5 MB for the sealed quarter
 * hour (3–7 MiB of live heap under the spoofed flood benchmark).
 */
export const DEFAULT_SAMPLE: SampleOptions = { open: 256, sealed: 32, keepMs: 900_000 };

/**
 * Flows ending before `horizon` are late; seconds before `sampleHorizon` keep no flow sample;
 * seconds before `sealHorizon` are sealed (absent: none, e.g. from an older caller).
 */
export interface Horizons {
  horizon: number;
  sampleHorizon: number;
  sealHorizon?: number;
  /**
   * Per second (ms epoch) whose flow sample is full, its threshold τ: a flow of a delta with
   * a lower priority can never be in that second's sample, which only rises (see FlowSample).
   */
  sampleFloors?: Map<number, number>;
}

export interface AggregatorStats {
  /** Flows aggregated since start. */
  flows: number;
  /** Flows whose end fell before the retention horizon: counted, then dropped. */
  late: number;
  buckets: number;
  rollups: number;
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

/** One key of a dimension in one second, for the live views. */
export interface TopEntry extends GroupRates {
  sources: number;
  /** bps ÷ the key's recent median bps; null when it had none. */
  ratio: number | null;
}

export interface TopOptions {
  /** The span averaged, ms ending with the second asked for (default one bucket). */
  spanMs?: number;
  /** How far back the median baseline reaches, ms. */
  baselineMs?: number;
  /** The most recent stretch the baseline leaves out (the attack itself), ms. */
  gapMs?: number;
  /** Baseline sample spacing, ms. */
  sampleMs?: number;
}

/** Default per-dimension limits: every country, the heaviest 100 of the rest. */
export const DEFAULT_LIMITS: SealLimits = {
  keys: {
    country: 300,
    region: 60,
    continent: 16,
    asn: 100,
    destination: 100,
    service: 50,
    protocol: 20,
    vector: 20,
    // a country broken down: the networks, targets and vectors of the heaviest countries
    'country.asn': 120,
    'country.destination': 60,
    'country.service': 40,
    'country.vector': 60,
  },
  topsFor: 5,
  topsForCountry: 12,
};

/**
 * The aggregator's settings as the server runs it (1 h of seconds sealed after 15 s, 24 h of
 * minute rollups, the default key limits), with `o` applied on top.
 */
export function aggregatorOptions(o: Partial<AggregatorOptions> = {}): AggregatorOptions {
  return {
    stepMs: 1000,
    retentionMs: 3_600_000,
    maxSpreadMs: 300_000,
    sealAfterMs: 15_000,
    limits: DEFAULT_LIMITS,
    rollupStepMs: 60_000,
    rollupRetentionMs: 86_400_000,
    ...o,
  };
}

/**
 * Per-second event-time buckets by every dimension (keyed by flow end, long flows spread over
 * their duration), sealed after a short while and kept for the retention window, then folded
 * into minute rollups kept for 24 h. Exact counters everywhere; sketches for distinct and top
 * sources. Pure: time enters only through `advance(now)`.
 */
export class Aggregator {
  private readonly buckets = new Map<number, Bucket>();
  private readonly rollups = new Map<number, Rollup>();
  /** Buckets older than this (ms epoch) are gone; flows ending before it are late. */
  private horizon = -Infinity;
  private readonly stats: AggregatorStats = { flows: 0, late: 0, buckets: 0, rollups: 0 };
  /** The bucket used last (dropped whenever buckets are removed). */
  private last: Bucket | undefined;
  private readonly sampling: SampleOptions;
  /** Seconds before this (ms epoch) keep no flow sample. */
  private sampleHorizon = -Infinity;
  /** Seconds before this (ms epoch) are sealed (a delta: were, when it was made). */
  private sealHorizon = -Infinity;
  /** A delta's: see Horizons.sampleFloors. */
  private sampleFloors: Map<number, number> | null = null;
  /** Packets merged into each second since the last `takeTouched()` (late flows, for detection). */
  private touched = new Map<number, number>();

  constructor(private readonly opts: AggregatorOptions) {
    this.sampling = opts.sample ?? DEFAULT_SAMPLE;
  }

  /**
   * An empty aggregator with the same options and horizon, for one batch's delta; with
   * `at`, another aggregator's horizons (a worker thread's delta for the main one).
   */
  createDelta(at: Horizons = this.horizons()): Aggregator {
    const d = new Aggregator(this.opts);
    d.horizon = at.horizon;
    d.sampleHorizon = at.sampleHorizon;
    d.sealHorizon = at.sealHorizon ?? -Infinity;
    d.sampleFloors = at.sampleFloors ?? null;
    return d;
  }

  /** Where lateness, flow samples and sealing begin now (ms epoch): what a delta must share. */
  horizons(): Horizons {
    const sampleFloors = new Map<number, number>();
    for (const [t, b] of this.buckets) {
      const tau = b.sample?.threshold() ?? 0;
      if (tau > 0) sampleFloors.set(t, tau);
    }
    return {
      horizon: this.horizon,
      sampleHorizon: this.sampleHorizon,
      sealHorizon: this.sealHorizon,
      sampleFloors,
    };
  }

  /**
   * A delta's floor for second `t`'s flow sample (priority, bytes): the threshold the live
   * view's sample of that second had when the delta was made, 0 when it had none.
   */
  sampleFloor(t: number): number {
    return this.sampleFloors?.get(t) ?? 0;
  }

  /** Counts flows found late elsewhere (a worker's delta, which reaches here as partials). */
  countLate(flows: number): void {
    this.stats.late += flows;
  }

  /** Aggregates one flow with its keys. Returns false when it was too late to keep. */
  add(flow: Flow, keys: FlowKeys): boolean {
    if (flow.end < this.horizon) {
      this.stats.late++;
      return false;
    }
    this.stats.flows++;
    const h = hash32(flow.src);
    const step = this.opts.stepMs;
    const start = Math.max(flow.start, this.horizon);
    const last = flow.end - (flow.end % step);
    if (start >= last) {
      // the common case: the flow lies within one second, nothing to spread or allocate
      this.addShare(last, flow.bytes, flow.packets, 1, h, flow.src, keys, pairsOf(keys));
      this.offer(last, flow, flow.bytes, flow.packets, h, keys);
      return true;
    }
    const shares = spreadFlow(
      start,
      flow.end,
      flow.bytes,
      flow.packets,
      this.opts.maxSpreadMs,
      step,
    );
    const lastIdx = shares.length - 1;
    // the pair keys once for every second of the flow (two lookups each)
    const pairs = pairsOf(keys);
    for (let i = 0; i <= lastIdx; i++) {
      const share = shares[i] as (typeof shares)[number];
      // a flow record counts once, in the second it ended
      this.addShare(
        share.t,
        share.bytes,
        share.packets,
        i === lastIdx ? 1 : 0,
        h,
        flow.src,
        keys,
        pairs,
      );
      // every second's sample sees its share, so its estimates add up to that second's bytes
      this.offer(share.t, flow, share.bytes, share.packets, h, keys);
    }
    return true;
  }

  /** Offers one second's share of a flow to that second's flow sample. */
  private offer(
    t: number,
    flow: Flow,
    bytes: number,
    packets: number,
    h: number,
    keys: FlowKeys,
  ): void {
    if (t < this.sampleHorizon) return;
    const b = this.bucket(t);
    const s = (b.sample ??= new FlowSample(b.open ? this.sampling.open : this.sampling.sealed));
    s.offer(flow, bytes, packets, flowHash(flow, t, h), keys);
  }

  /** How much a sealed second keeps (partials keep a multiple of it, see partial.ts). */
  sealLimits(): SealLimits {
    return this.opts.limits;
  }

  /** Flows a sealed second's sample keeps. */
  sealedSampleSize(): number {
    return this.sampling.sealed;
  }

  /** Whether second `t` (ms epoch) is recent enough to keep a flow sample. */
  keepsSampleAt(t: number): boolean {
    return t >= this.sampleHorizon;
  }

  /** The flow sample of second `t` (ms epoch), or null when it keeps none. */
  flowSample(t: number): FlowSample | null {
    return this.buckets.get(t)?.sample ?? null;
  }

  /** Adds one second's share of a flow to its bucket, in every dimension. */
  private addShare(
    t: number,
    bytes: number,
    packets: number,
    flows: number,
    h: number,
    src: string,
    keys: FlowKeys,
    pairs: PairKeys,
  ): void {
    const b = this.bucket(t);
    b.total.bytes += bytes;
    b.total.packets += packets;
    b.total.flows += flows;
    b.sources.add(h);
    const o = b.open;
    if (o) {
      // unrolled: a keyed load over a dimension name per flow costs more than the work itself
      addKey(o.country, keys.country, bytes, packets, flows, h, src);
      addKey(o.region, keys.region, bytes, packets, flows, h, src);
      addKey(o.continent, keys.continent, bytes, packets, flows, h, src);
      addKey(o.asn, keys.asn, bytes, packets, flows, h, src);
      addKey(o.destination, keys.destination, bytes, packets, flows, h, src);
      addKey(o.service, keys.service, bytes, packets, flows, h, src);
      addKey(o.protocol, keys.protocol, bytes, packets, flows, h, src);
      addKey(o.vector, keys.vector, bytes, packets, flows, h, src);
      o['country.asn'].add(pairs.asn, bytes, packets, flows);
      o['country.destination'].add(pairs.destination, bytes, packets, flows);
      o['country.service'].add(pairs.service, bytes, packets, flows);
      o['country.vector'].add(pairs.vector, bytes, packets, flows);
    } else if (b.sealed) {
      const lim = this.opts.limits.keys;
      for (const d of AGG_DIMENSIONS) {
        addSealed(b.sealed[d], keyOf(keys, d), bytes, packets, flows, lim[d]);
      }
    }
  }

  /**
   * Folds a delta (another aggregator's buckets) in: merging partials equals aggregating the
   * union. The delta is consumed: its per-key state is adopted, not copied, so do not use it
   * afterwards (encode it as partials first).
   */
  merge(delta: Aggregator): void {
    this.stats.flows += delta.stats.flows;
    this.stats.late += delta.stats.late;
    for (const db of delta.buckets.values()) this.mergeBucket(db);
    delta.buckets.clear();
    delta.last = undefined;
  }

  /**
   * Folds one second from elsewhere (a delta, a partial read back from Kafka) in. A second
   * older than the horizon is late: its flows are counted as such and dropped.
   */
  mergeBucket(db: Bucket): void {
    if (db.t < this.horizon) {
      this.stats.late += db.total.flows;
      this.stats.flows -= db.total.flows;
      return;
    }
    this.touched.set(db.t, (this.touched.get(db.t) ?? 0) + db.total.packets);
    const existing = this.buckets.get(db.t);
    if (!existing && db.open) {
      // a second nobody has seen yet: adopt it whole
      if (db.t < this.sampleHorizon) db.sample = null;
      this.buckets.set(db.t, db);
      return;
    }
    const b = existing ?? this.bucket(db.t);
    addInto(b.total, db.total);
    b.sources.merge(db.sources);
    if (db.sample && db.t >= this.sampleHorizon) {
      // the union's sample; a sealed second keeps its smaller one
      if (b.sample) b.sample.merge(db.sample);
      else b.sample = db.sample.copy(b.open ? this.sampling.open : this.sampling.sealed);
    }
    const lim = this.opts.limits.keys;
    for (const d of DIMENSIONS) {
      forEachKeyAgg(db, d, (key, agg) => {
        if (b.open) {
          const m = b.open[d];
          const mine = m.get(key);
          if (mine) mergeKeyAgg(mine, agg);
          else m.set(key, agg);
        } else if (b.sealed) {
          addSealed(b.sealed[d], key, agg.c.bytes, agg.c.packets, agg.c.flows, lim[d]);
        }
      });
    }
    for (const p of PAIRS) {
      const mine = b.open?.[p];
      forEachKey(db, p, (key, c) => {
        if (mine) mine.add(key, c.bytes, c.packets, c.flows);
        else if (b.sealed) addSealed(b.sealed[p], key, c.bytes, c.packets, c.flows, lim[p]);
      });
    }
  }

  /**
   * Drops every per-second bucket from `t` (ms epoch) on, with its flows in the stats: a
   * rebuild merges those seconds back from the durable partials. Rollups are kept.
   */
  dropFrom(t: number): void {
    for (const [bt, b] of this.buckets) {
      if (bt < t) continue;
      this.stats.flows -= b.total.flows;
      this.buckets.delete(bt);
    }
    this.last = undefined;
  }

  /**
   * The seconds (ms epoch) merged into since the last call, with the packets each received:
   * detection re-judges seconds that late flows reached and learns how late flows come.
   */
  takeTouched(): Map<number, number> {
    const t = this.touched;
    this.touched = new Map();
    return t;
  }

  /** Counts flows merged from a partial (mergeBucket moves only counters). */
  countMerged(flows: number): void {
    this.stats.flows += flows;
  }

  /** Seals seconds older than `sealAfterMs`, moves seconds past retention into rollups, drops old rollups. */
  advance(now: number): void {
    const step = this.opts.stepMs;
    const horizon = now - this.opts.retentionMs;
    this.horizon = horizon - (horizon % step);
    const sealBefore = now - this.opts.sealAfterMs;
    this.sealHorizon = sealBefore;
    const rstep = this.opts.rollupStepMs;
    this.sampleHorizon = now - this.sampling.keepMs;
    // nobody took them (no detection): forget what is past the window
    for (const t of this.touched.keys()) if (t < this.horizon) this.touched.delete(t);
    for (const [t, b] of this.buckets) {
      if (b.sample && t < this.sampleHorizon) b.sample = null;
      if (t < this.horizon) {
        const rt = t - (t % rstep);
        let r = this.rollups.get(rt);
        if (!r) {
          r = emptyRollup(rt);
          this.rollups.set(rt, r);
        }
        foldInto(r, b);
        this.buckets.delete(t);
        this.last = undefined;
      } else if (b.open && t < sealBefore) {
        seal(b, this.opts.limits);
        b.sample?.shrink(this.sampling.sealed);
      }
    }
    const rollupHorizon = now - this.opts.rollupRetentionMs;
    for (const [rt, r] of this.rollups) {
      if (rt < rollupHorizon) this.rollups.delete(rt);
      else if (!r.complete && rt + rstep <= this.horizon) compactRollup(r, this.opts.limits.keys);
    }
  }

  /** The minute rollup starting at `t` (ms epoch) once every second of it is in, if kept. */
  rollupAt(t: number): Readonly<Rollup> | undefined {
    const r = this.rollups.get(t);
    return r?.complete ? r : undefined;
  }

  getStats(): Readonly<AggregatorStats> {
    return { ...this.stats, buckets: this.buckets.size, rollups: this.rollups.size };
  }

  /** The buckets, oldest first (for partials and tests). */
  bucketTimes(): number[] {
    return [...this.buckets.keys()].sort((a, b) => a - b);
  }

  /** Read access to one second (for partials). */
  getBucket(t: number): Bucket | undefined {
    return this.buckets.get(t);
  }

  /**
   * The live view of one second: rates (the bucket's sums per second), the top `topN`
   * countries by bps and an `other` entry for the rest, so the entries add up to the total.
   */
  point(t: number, topN: number): TrafficPoint {
    const b = this.buckets.get(t);
    if (!b) return { t, total: { bps: 0, pps: 0, fps: 0 }, sources: 0, countries: [] };
    const perSec = 1000 / this.opts.stepMs;
    const rows: [string, Counters][] = [];
    forEachKey(b, 'country', (key, c) => rows.push([key, c]));
    rows.sort((x, y) => y[1].bytes - x[1].bytes);
    const countries: GroupRates[] = [];
    const other = emptyCounters();
    let hasOther = false;
    for (let i = 0; i < rows.length; i++) {
      const [key, c] = rows[i] as [string, Counters];
      if (i < topN && key !== OTHER_KEY) countries.push({ key, ...toRates(c, perSec) });
      else {
        addInto(other, c);
        hasOther = true;
      }
    }
    if (hasOther) countries.push({ key: OTHER_KEY, ...toRates(other, perSec) });
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
   * The heaviest `n` keys of a dimension over the `spanMs` ending with second `t` (default:
   * that second alone), as average rates, with distinct sources (the most in any one second
   * of the span) and the ratio of their average bytes per second to their median over
   * `[t − baselineMs, t − gapMs)` (sampled every `sampleMs`): a median, so an attack does not
   * become its own baseline in minutes.
   */
  top(t: number, d: Dimension, n: number, opts: TopOptions = {}): TopEntry[] {
    const {
      spanMs = this.opts.stepMs,
      baselineMs = 600_000,
      gapMs = 60_000,
      sampleMs = 5_000,
    } = opts;
    const step = this.opts.stepMs;
    const rows = new Map<string, { c: Counters; sources: number; lazy: (() => number)[] }>();
    for (let s = t - spanMs + step; s <= t; s += step) {
      const b = this.buckets.get(s);
      if (!b) continue;
      forEachKey(b, d, (key, c, sources) => {
        let r = rows.get(key);
        if (!r) {
          r = { c: emptyCounters(), sources: 0, lazy: [] };
          rows.set(key, r);
        }
        addInto(r.c, c);
        r.lazy.push(sources);
      });
    }
    const seconds = Math.max(1, spanMs / step);
    const perSec = 1000 / step;
    return [...rows.entries()]
      .sort((x, y) => y[1].c.bytes - x[1].c.bytes)
      .slice(0, n)
      .map(([key, r]) => {
        const samples: number[] = [];
        for (let s = t - baselineMs; s < t - gapMs; s += sampleMs) {
          const sb = this.buckets.get(s);
          if (!sb) continue;
          samples.push(countersOf(sb, d, key)?.bytes ?? 0);
        }
        const median = medianOf(samples);
        const avg: Counters = {
          bytes: r.c.bytes / seconds,
          packets: r.c.packets / seconds,
          flows: r.c.flows / seconds,
        };
        return {
          key,
          ...toRates(avg, perSec),
          sources: r.lazy.reduce((m, f) => Math.max(m, f()), 0),
          ratio: median > 0 ? avg.bytes / median : null,
        };
      });
  }

  /** Top sources of one key in second `t` (open seconds, or the first keys of sealed ones). */
  topSources(t: number, d: Dimension, key: string): readonly Hitter[] {
    const b = this.buckets.get(t);
    return b ? topOf(b, d, key) : [];
  }

  /**
   * Exact sums per group over [from, to), with a series per `stepMs` (a multiple of the
   * bucket width) in `metric` units per second. Older ranges come from the minute rollups.
   * Groups are sorted by bytes, descending; the first `top` are returned and the rest summed
   * into a last "other" group, so the groups always add up to the totals.
   */
  range(
    from: number,
    to: number,
    stepMs: number,
    by: Dimension,
    metric: keyof Rates,
    top: number,
  ): RangeResult {
    const q = this.rangeFrame(from, to, stepMs, metric);
    for (const [t, b] of this.buckets) {
      if (t < q.start || t >= to) continue;
      addInto(q.totals, b.total);
      forEachKey(b, by, (key, c) => q.add(t, key, c));
    }
    for (const [t, r] of this.rollups) {
      if (t < q.start || t >= to) continue;
      addInto(q.totals, r.total);
      for (const [key, c] of r.dims[by]) q.add(t, key, c);
    }
    return q.finish(top, null);
  }

  /**
   * One source country broken down over [from, to): by one of its pair dimensions (its ASNs,
   * targets, services or vectors), or by its heaviest source addresses (`'source'`: byte
   * counts of the per-second heavy hitters, lower bounds, from the per-second buckets only, so
   * packets and flows stay 0 for them). Totals are the country's; what the kept keys do not
   * cover is the "other" group, so the groups always add up to the country.
   */
  drill(
    from: number,
    to: number,
    stepMs: number,
    country: string,
    by: DrillDimension | 'source',
    metric: keyof Rates,
    top: number,
  ): RangeResult {
    const q = this.rangeFrame(from, to, stepMs, metric);
    const pair = by === 'source' ? null : pairOf(by);
    const prefix = country + PAIR_SEP;
    const visit = (t: number, key: string, c: Counters) => {
      if (key.startsWith(prefix)) q.add(t, key.slice(prefix.length), c);
    };
    for (const [t, b] of this.buckets) {
      if (t < q.start || t >= to) continue;
      const total = countersOf(b, 'country', country);
      if (!total) continue;
      q.addTotal(t, total);
      if (pair) forEachKey(b, pair, (key, c) => visit(t, key, c));
      else {
        for (const h of topOf(b, 'country', country)) {
          // weight − error: what the source certainly sent, so the sources never exceed the country
          q.add(t, h.item, { bytes: h.weight - h.error, packets: 0, flows: 0 });
        }
      }
    }
    if (pair) {
      for (const [t, r] of this.rollups) {
        if (t < q.start || t >= to) continue;
        const total = r.dims.country.get(country);
        if (!total) continue;
        q.addTotal(t, total);
        for (const [key, c] of r.dims[pair]) visit(t, key, c);
      }
    }
    return q.finish(top, q.residual);
  }

  /** The shared frame of `range` and `drill`: steps, totals, groups and their series. */
  private rangeFrame(from: number, to: number, stepMs: number, metric: keyof Rates) {
    const base = this.opts.stepMs;
    const step = Math.max(base, stepMs - (stepMs % base));
    const start = from - (from % base);
    const nSteps = Math.max(0, Math.ceil((to - start) / step));
    const times = Array.from({ length: nSteps }, (_, i) => start + i * step);
    const totals = emptyCounters();
    /** The totals' series: what the groups must add up to (drill-down only). */
    const totalSeries = new Array<number>(nSteps).fill(0);
    const groups = new Map<string, RangeGroup>();
    const newGroup = (key: string): RangeGroup => ({
      key,
      ...emptyCounters(),
      series: new Array<number>(nSteps).fill(0),
    });
    const frame = {
      start,
      totals,
      residual: newGroup(OTHER_KEY),
      add(t: number, key: string, c: Counters) {
        const idx = Math.floor((t - start) / step);
        let g = groups.get(key);
        if (!g) {
          g = newGroup(key);
          groups.set(key, g);
        }
        addInto(g, c);
        g.series[idx] = (g.series[idx] as number) + metricOf(c, metric);
      },
      addTotal(t: number, c: Counters) {
        addInto(totals, c);
        const idx = Math.floor((t - start) / step);
        totalSeries[idx] = (totalSeries[idx] as number) + metricOf(c, metric);
      },
      /**
       * The first `top` groups by bytes and an "other" group for the rest — and, for a
       * drill-down, for whatever of the totals no kept key covers (`residual`).
       */
      finish(top: number, residual: RangeGroup | null): RangeResult {
        const all = [...groups.values()].sort((a, b) => b.bytes - a.bytes);
        const sorted = all.filter((g, i) => i < top && g.key !== OTHER_KEY);
        const rest = all.filter((g, i) => i >= top || g.key === OTHER_KEY);
        const other = newGroup(OTHER_KEY);
        for (const g of rest) {
          addInto(other, g);
          g.series.forEach((v, i) => (other.series[i] = (other.series[i] as number) + v));
        }
        if (residual) {
          // the country's own counters minus every key seen: keys summed away when sealed
          const seen = emptyCounters();
          const seenSeries = new Array<number>(nSteps).fill(0);
          for (const g of all) {
            addInto(seen, g);
            g.series.forEach((v, i) => (seenSeries[i] = (seenSeries[i] as number) + v));
          }
          other.bytes += Math.max(0, totals.bytes - seen.bytes);
          other.packets += Math.max(0, totals.packets - seen.packets);
          other.flows += Math.max(0, totals.flows - seen.flows);
          for (let i = 0; i < nSteps; i++) {
            const gap = (totalSeries[i] as number) - (seenSeries[i] as number);
            if (gap > 0) other.series[i] = (other.series[i] as number) + gap;
          }
        }
        if (other.bytes > 0 || other.packets > 0 || other.flows > 0 || rest.length > 0)
          sorted.push(other);
        const perSec = 1000 / step;
        for (const g of sorted) g.series = g.series.map((v) => v * perSec);
        return { from: start, to, stepMs: step, times, totals, groups: sorted };
      },
    };
    return frame;
  }

  private bucket(t: number): Bucket {
    // consecutive flows mostly land in the same second
    if (this.last?.t === t) return this.last;
    let b = this.buckets.get(t);
    if (!b) {
      b = emptyBucket(t);
      this.buckets.set(t, b);
    }
    this.last = b;
    return b;
  }
}

function addKey(
  m: Map<string, KeyAgg>,
  key: string,
  bytes: number,
  packets: number,
  flows: number,
  hash: number,
  src: string,
): void {
  let agg = m.get(key);
  if (!agg) {
    agg = emptyKeyAgg();
    m.set(key, agg);
  }
  agg.c.bytes += bytes;
  agg.c.packets += packets;
  agg.c.flows += flows;
  addSource(agg, src, bytes, hash);
}

/** The pair keys of one flow: its country with each of the other paired dimensions. */
interface PairKeys {
  asn: string;
  destination: string;
  service: string;
  vector: string;
}

/** Reused by every flow: filled by {@link pairsOf}, read before the next flow's. */
const scratchPairs: PairKeys = { asn: '', destination: '', service: '', vector: '' };

/** The pair keys of `keys`, in a shared scratch object (valid until the next call). */
function pairsOf(keys: FlowKeys): PairKeys {
  const c = keys.country;
  scratchPairs.asn = pairKey(c, keys.asn);
  scratchPairs.destination = pairKey(c, keys.destination);
  scratchPairs.service = pairKey(c, keys.service);
  scratchPairs.vector = pairKey(c, keys.vector);
  return scratchPairs;
}

/** Pair keys by their parts; dropped whole when a flood of one-off pairs fills it. */
const pairKeys = new Map<string, Map<string, string>>();
let pairKeyCount = 0;
const PAIR_KEYS_MAX = 200_000;

/**
 * The pair key of `a` and `b` ("RU\u001fAS12389"), one string object per pair: a fresh
 * concatenation per flow would be flattened and hashed anew on every Map lookup, where a
 * kept string carries its hash. Two lookups of strings that are already hashed cost less.
 */
function pairKey(a: string, b: string): string {
  let inner = pairKeys.get(a);
  if (inner === undefined) {
    inner = new Map();
    pairKeys.set(a, inner);
  }
  let k = inner.get(b);
  if (k === undefined) {
    if (pairKeyCount >= PAIR_KEYS_MAX) {
      pairKeys.clear();
      pairKeyCount = 0;
      inner = new Map();
      pairKeys.set(a, inner);
    }
    k = a + PAIR_SEP + b;
    inner.set(b, k);
    pairKeyCount++;
  }
  return k;
}

/** Visits the full key aggregates of an open bucket (deltas are never sealed). */
function forEachKeyAgg(b: Bucket, d: Dimension, fn: (key: string, agg: KeyAgg) => void): void {
  if (b.open) {
    for (const [k, a] of b.open[d]) fn(k, a);
    return;
  }
  forEachKey(b, d, (key, c) => {
    const agg = emptyKeyAgg();
    addInto(agg.c, c);
    fn(key, agg);
  });
}

/** A flow's key in dimension `d`: its own, or a country's pair key. */
function keyOf(keys: FlowKeys, d: AggDimension): string {
  switch (d) {
    case 'country.asn':
      return pairKey(keys.country, keys.asn);
    case 'country.destination':
      return pairKey(keys.country, keys.destination);
    case 'country.service':
      return pairKey(keys.country, keys.service);
    case 'country.vector':
      return pairKey(keys.country, keys.vector);
    default:
      return keys[d];
  }
}

function medianOf(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function metricOf(c: Counters, metric: keyof Rates): number {
  if (metric === 'bps') return c.bytes * 8;
  if (metric === 'pps') return c.packets;
  return c.flows;
}

function toRates(c: Counters, perSec: number): Rates {
  return { bps: c.bytes * 8 * perSec, pps: c.packets * perSec, fps: c.flows * perSec };
}
