import {
  DIMENSIONS,
  OTHER_KEY,
  PAIRS,
  type AggDimension,
  type Dimension,
  type Pair,
} from '@surgewatch/shared';
import { emptyCounters, type Counters } from './counters.js';
import type { FlowSample } from './flowSample.js';
import { HyperLogLog } from './hll.js';
import { distinctOf, emptyKeyAgg, mergeKeyAgg, type KeyAgg } from './keyAgg.js';
import { PairTable } from './pairTable.js';
import { SpaceSaving, type Hitter } from './spaceSaving.js';

/**
 * A sealed dimension: the top keys of a second that can no longer change much, packed into
 * parallel arrays (≈ 40 bytes a key). Keys beyond the kept ones were summed into "other", so
 * sums stay exact.
 */
export interface SealedDim {
  keys: string[];
  /** bytes, packets, flows per key, interleaved. */
  num: Float64Array;
  sources: Uint32Array;
  /** Top sources of the first few keys only. */
  tops: (readonly Hitter[])[];
  /** key → index, built on the first late update. */
  index: Map<string, number> | null;
}

/** One second of traffic: totals and per-dimension keys, open (maps + sketches) or sealed. */
export interface Bucket {
  /** Start of the second, ms epoch. */
  readonly t: number;
  total: Counters;
  /** Distinct sources over all traffic in the second. */
  sources: HyperLogLog;
  /** Per key while the second is open: full aggregates by dimension, counters by pair. */
  open: OpenDims | null;
  sealed: Record<AggDimension, SealedDim> | null;
  /**
   * A priority sample of the second's flows (by bytes) for what no dimension holds: ports,
   * and any subject's flows. Null before the first flow, and once the second is older than
   * the aggregator keeps samples for.
   */
  sample?: FlowSample | null;
}

/** An open second's keys: a full aggregate per key of a dimension, counters per pair key. */
export type OpenDims = { [D in Dimension]: Map<string, KeyAgg> } & { [P in Pair]: PairTable };

const PAIR_SET: ReadonlySet<string> = new Set(PAIRS);

/** Whether `d` is a pair dimension (counters only, kept in a PairTable while open). */
export function isPair(d: AggDimension): d is Pair {
  return PAIR_SET.has(d);
}

export function emptyBucket(t: number): Bucket {
  const open = {} as Record<string, Map<string, KeyAgg> | PairTable>;
  for (const d of DIMENSIONS) open[d] = new Map();
  for (const p of PAIRS) open[p] = new PairTable();
  return {
    t,
    total: emptyCounters(),
    sources: new HyperLogLog(),
    open: open as OpenDims,
    sealed: null,
    sample: null,
  };
}

/** How much a sealed second keeps per dimension. */
export interface SealLimits {
  /** Keys kept per dimension (the rest become "other"). */
  keys: Readonly<Record<AggDimension, number>>;
  /** Keys per dimension whose top sources are kept. */
  topsFor: number;
  /** The same for countries, whose top sources the drill-down shows (default `topsFor`). */
  topsForCountry?: number;
}

/** Key strings shared by every sealed second, so an hour of seconds holds each key once. */
const interned = new Map<string, string>();
/** The pool is dropped when it grows past this (a flood of one-off keys), then refills. */
const INTERN_MAX = 65_536;

/**
 * One string object per distinct key: a pair key ("RU\u001fAS12389") is made anew by every
 * second that sees it, and 3,600 copies of each would be most of a sealed hour's memory.
 */
export function intern(key: string): string {
  const k = interned.get(key);
  if (k !== undefined) return k;
  if (interned.size >= INTERN_MAX) interned.clear();
  interned.set(key, key);
  return key;
}

/**
 * Seals an open bucket: per dimension the heaviest keys (by bytes) are kept with their
 * counters, distinct-source estimates and — for the first few — top sources; the rest are
 * summed into "other". Sums over any dimension still equal the total.
 */
export function seal(b: Bucket, limits: SealLimits): void {
  if (!b.open) return;
  const sealed = {} as Record<AggDimension, SealedDim>;
  for (const p of PAIRS) sealed[p] = sealPairs(b.open[p], limits.keys[p]);
  for (const d of DIMENSIONS) {
    const entries = [...b.open[d].entries()].sort((x, y) => y[1].c.bytes - x[1].c.bytes);
    const keep = Math.min(entries.length, limits.keys[d]);
    let other: KeyAgg | undefined;
    for (let i = keep; i < entries.length; i++) {
      other ??= emptyKeyAgg();
      mergeKeyAgg(other, (entries[i] as [string, KeyAgg])[1]);
    }
    const kept = entries.slice(0, keep);
    if (other) {
      const existing = kept.findIndex(([k]) => k === OTHER_KEY);
      if (existing >= 0) mergeKeyAgg((kept[existing] as [string, KeyAgg])[1], other);
      else kept.push([OTHER_KEY, other]);
    }
    const n = kept.length;
    // a country's top sources are what its drill-down lists
    const tops = d === 'country' ? (limits.topsForCountry ?? limits.topsFor) : limits.topsFor;
    const dim: SealedDim = {
      keys: new Array<string>(n),
      num: new Float64Array(n * 3),
      sources: new Uint32Array(n),
      tops: [],
      index: null,
    };
    for (let i = 0; i < n; i++) {
      const [key, agg] = kept[i] as [string, KeyAgg];
      dim.keys[i] = intern(key);
      dim.num[i * 3] = agg.c.bytes;
      dim.num[i * 3 + 1] = agg.c.packets;
      dim.num[i * 3 + 2] = agg.c.flows;
      dim.sources[i] = distinctOf(agg);
      if (i < tops) dim.tops.push(agg.top.top());
    }
    sealed[d] = dim;
  }
  b.sealed = sealed;
  b.open = null;
}

/** Seals a pair dimension: the heaviest `limit` keys by bytes, the rest summed into "other". */
function sealPairs(table: PairTable, limit: number): SealedDim {
  const { keys, num } = table.raw();
  const order = keys
    .map((_, i) => i)
    .sort((x, y) => (num[y * 3] as number) - (num[x * 3] as number));
  const keep = Math.min(order.length, limit);
  const kept = order.slice(0, keep);
  let otherAt = kept.findIndex((i) => keys[i] === OTHER_KEY);
  const rest = order.slice(keep);
  const n = kept.length + (rest.length > 0 && otherAt < 0 ? 1 : 0);
  const dim: SealedDim = {
    keys: new Array<string>(n),
    num: new Float64Array(n * 3),
    sources: new Uint32Array(n),
    tops: [],
    index: null,
  };
  kept.forEach((slot, i) => {
    dim.keys[i] = intern(keys[slot] as string);
    dim.num.set(num.subarray(slot * 3, slot * 3 + 3), i * 3);
  });
  if (rest.length > 0) {
    if (otherAt < 0) {
      otherAt = kept.length;
      dim.keys[otherAt] = OTHER_KEY;
    }
    for (const slot of rest) {
      for (let j = 0; j < 3; j++) {
        dim.num[otherAt * 3 + j] =
          (dim.num[otherAt * 3 + j] as number) + (num[slot * 3 + j] as number);
      }
    }
  }
  return dim;
}

/**
 * Caps the keys of an open second per dimension at `keys[d]`: the heaviest by bytes stay as
 * they are, the rest are folded into "other" (counters summed, sketches merged), as `seal`
 * does, so sums over any dimension still equal the total. A partial's size then follows
 * these limits, not the number of networks and pairs a spoofed flood makes up.
 */
export function capOpen(b: Bucket, keys: Readonly<Record<AggDimension, number>>): void {
  const open = b.open;
  if (!open) return;
  for (const d of DIMENSIONS) {
    const m = open[d];
    const limit = Math.max(1, keys[d]);
    if (m.size <= limit) continue;
    const entries = [...m.entries()].sort((x, y) => y[1].c.bytes - x[1].c.bytes);
    let from = limit;
    let other = entries.slice(0, limit).find(([k]) => k === OTHER_KEY)?.[1];
    if (!other) {
      // the last place goes to "other"
      from = limit - 1;
      other = emptyKeyAgg();
    }
    const kept = new Map(entries.slice(0, from));
    for (let i = from; i < entries.length; i++)
      mergeKeyAgg(other, (entries[i] as [string, KeyAgg])[1]);
    kept.set(OTHER_KEY, other);
    open[d] = kept;
  }
  for (const p of PAIRS) {
    const table = open[p];
    const limit = Math.max(1, keys[p]);
    if (table.size <= limit) continue;
    const dim = sealPairs(table, limit - 1);
    const capped = new PairTable();
    for (let i = 0; i < dim.keys.length; i++) {
      capped.add(
        dim.keys[i] as string,
        dim.num[i * 3] as number,
        dim.num[i * 3 + 1] as number,
        dim.num[i * 3 + 2] as number,
      );
    }
    open[p] = capped;
  }
}

/**
 * Strips an open second down to what a sealed one takes in: counters per key, the second's
 * distinct sources and a flow sample of `sampleK` (the sealed size). A delta's share of a
 * second the live view has already sealed needs no more: merging into a sealed second adds
 * counters only (`addSealed`), and a sealed second's sample is that small.
 */
export function slimOpen(b: Bucket, sampleK: number): void {
  const open = b.open;
  if (!open) return;
  for (const d of DIMENSIONS) {
    for (const agg of open[d].values()) {
      agg.src = null;
      if (agg.top.size > 0) agg.top = new SpaceSaving(agg.top.k);
    }
  }
  b.sample?.shrink(sampleK);
}

/**
 * Adds counters for `key` to a sealed dimension (a late record, or a catch-up after an
 * outage). A key the second has not seen is appended while the dimension is under its
 * limit, and only past it summed into "other", so late records keep their country.
 */
export function addSealed(
  dim: SealedDim,
  key: string,
  bytes: number,
  packets: number,
  flows: number,
  limit: number,
): void {
  if (!dim.index) dim.index = new Map(dim.keys.map((k, i) => [k, i]));
  let i = dim.index.get(key);
  if (i === undefined) {
    const target = dim.keys.length < limit ? key : OTHER_KEY;
    i = dim.index.get(target);
    if (i === undefined) i = appendKey(dim, target);
  }
  dim.num[i * 3] = (dim.num[i * 3] as number) + bytes;
  dim.num[i * 3 + 1] = (dim.num[i * 3 + 1] as number) + packets;
  dim.num[i * 3 + 2] = (dim.num[i * 3 + 2] as number) + flows;
}

function appendKey(dim: SealedDim, key: string): number {
  const i = dim.keys.length;
  dim.keys.push(key);
  if (dim.num.length < (i + 1) * 3) {
    // grow by doubling: a catch-up appends many keys to the same second
    const cap = Math.max(4, (i + 1) * 2);
    const num = new Float64Array(cap * 3);
    num.set(dim.num);
    dim.num = num;
    const sources = new Uint32Array(cap);
    sources.set(dim.sources);
    dim.sources = sources;
  }
  (dim.index as Map<string, number>).set(key, i);
  return i;
}

/**
 * Visits every key of a dimension of a bucket, open or sealed. `sources()` estimates the
 * key's distinct sources on demand: a dense estimate walks 2,048 registers, so callers ask
 * only for the keys they show.
 */
export function forEachKey(
  b: Bucket,
  d: AggDimension,
  fn: (key: string, c: Counters, sources: () => number) => void,
): void {
  if (b.open) {
    if (isPair(d)) b.open[d].forEach((key, c) => fn(key, c, () => 0));
    else for (const [key, agg] of b.open[d]) fn(key, agg.c, () => distinctOf(agg));
    return;
  }
  const dim = (b.sealed as Record<AggDimension, SealedDim>)[d];
  for (let i = 0; i < dim.keys.length; i++) {
    const n = dim.sources[i] as number;
    const c = {
      bytes: dim.num[i * 3] as number,
      packets: dim.num[i * 3 + 1] as number,
      flows: dim.num[i * 3 + 2] as number,
    };
    fn(dim.keys[i] as string, c, () => n);
  }
}

/** Counters of one key in one bucket, or null. */
export function countersOf(b: Bucket, d: AggDimension, key: string): Counters | null {
  if (b.open) return isPair(d) ? b.open[d].get(key) : (b.open[d].get(key)?.c ?? null);
  const dim = (b.sealed as Record<AggDimension, SealedDim>)[d];
  if (!dim.index) dim.index = new Map(dim.keys.map((k, i) => [k, i]));
  const i = dim.index.get(key);
  if (i === undefined) return null;
  return {
    bytes: dim.num[i * 3] as number,
    packets: dim.num[i * 3 + 1] as number,
    flows: dim.num[i * 3 + 2] as number,
  };
}

/** Top sources of one key in an open bucket (sealed buckets keep them for their first keys only). */
export function topOf(b: Bucket, d: AggDimension, key: string): readonly Hitter[] {
  if (b.open) return isPair(d) ? [] : (b.open[d].get(key)?.top.top() ?? []);
  const dim = (b.sealed as Record<AggDimension, SealedDim>)[d];
  const i = dim.keys.indexOf(key);
  return i >= 0 ? (dim.tops[i] ?? []) : [];
}
