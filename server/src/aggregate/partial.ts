import { DIMENSIONS, PAIRS, type AggDimension } from '@surgewatch/shared';
import type { Aggregator } from './aggregator.js';
import { capOpen, emptyBucket, intern, slimOpen, type Bucket, type OpenDims } from './bucket.js';
import { FlowSample, type FlowSampleJson } from './flowSample.js';
import { HyperLogLog } from './hll.js';
import { TOP_SOURCES_K } from './keyAgg.js';
import { BINARY_MAGIC, BINARY_VERSION, decodeBucket, encodeBucket } from './partialBinary.js';
import { SpaceSaving } from './spaceSaving.js';

/**
 * Wire version of the partials this build writes: 2, binary (partialBinary.ts). Version-1
 * partials (JSON, `PartialJson`) still read, so the history a previous release wrote comes
 * back after an upgrade.
 */
export const PARTIAL_VERSION = BINARY_VERSION;
/** The JSON partials of earlier releases. */
const JSON_VERSION = 1;

/**
 * A partial keeps at most this many times the keys per dimension that a sealed second keeps
 * (`SealLimits.keys`); the rest of a dimension is folded into "other" (see `capOpen`). Once
 * is enough: a key the second's seal keeps is almost always among the heaviest of the
 * partials that carry it, and twice cost 7 % more bytes under the spoofed flood benchmark.
 */
export const PARTIAL_KEYS_FACTOR = 1;

type HllJson = ReturnType<HyperLogLog['toJSON']>;
/** One key: [key, bytes, packets, flows, distinct sources (null: the top sources are all of them), top sources]. */
type KeyRow = [string, number, number, number, HllJson | null, [string, number, number][]];

/**
 * One second of one instance's delta as earlier releases produced it to `surgewatch.partials`
 * (version 1, JSON): exact counters and the sketches. Still read; no longer written.
 */
export interface PartialJson {
  v: number;
  /** Producing instance. */
  i: string;
  /** Start of the second, ms epoch. */
  t: number;
  /** bytes, packets, flows. */
  c: [number, number, number];
  s: HllJson;
  d: Partial<Record<AggDimension, KeyRow[]>>;
  /**
   * The second's flow sample (absent in partials of versions before it, which still read:
   * their flows are then missing from the merged second's sample).
   */
  f?: FlowSampleJson;
}

/**
 * Turns a delta into one partial per second it touched, oldest first: binary (version 2), each
 * dimension capped at the keys a sealed second keeps (PARTIAL_KEYS_FACTOR), seconds the live view had sealed
 * when the delta was made stripped to what a sealed second takes in, and sampled flows below
 * the live view's sample threshold of their second left out (all in the delta itself, so a
 * delta merged as it is equals its partials read back). The caller produces them in the same
 * transaction as the input offsets they cover.
 */
export function encodePartials(
  delta: Aggregator,
  instance: string,
): { t: number; value: Buffer }[] {
  const out: { t: number; value: Buffer }[] = [];
  const limits = partialKeyLimits(delta);
  const sealed = (delta.horizons().sealHorizon ?? -Infinity) - SEAL_SKEW_MS;
  for (const t of delta.bucketTimes()) {
    const b = delta.getBucket(t) as Bucket;
    if (!b.open) throw new Error('a delta is never sealed');
    capOpen(b, limits);
    if (t < sealed) slimOpen(b, delta.sealedSampleSize());
    b.sample?.dropBelow(delta.sampleFloor(t));
    const bytes = encodeBucket(b, instance);
    out.push({ t, value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  }
  return out;
}

/**
 * A second sealed this long (ms) before the delta was made is sealed on every instance that
 * reads the partial (their clocks agree to well within it): its partial carries counters, the
 * second's distinct sources and the sealed sample size only (`slimOpen`).
 */
export const SEAL_SKEW_MS = 1_000;

/** The most keys a partial keeps per dimension. */
function partialKeyLimits(delta: Aggregator): Record<AggDimension, number> {
  const keys = delta.sealLimits().keys;
  const out = {} as Record<AggDimension, number>;
  for (const d of [...DIMENSIONS, ...PAIRS]) out[d] = keys[d] * PARTIAL_KEYS_FACTOR;
  return out;
}

/**
 * The JSON partial of earlier releases (version 1), kept so that their partials still read.
 * Tests use it to write one.
 */
export function encodePartialJson(b: Bucket, instance: string): Buffer {
  const d: PartialJson['d'] = {};
  const open = b.open as OpenDims;
  for (const dim of DIMENSIONS) {
    const rows: KeyRow[] = [];
    for (const [key, agg] of open[dim]) {
      rows.push([
        key,
        agg.c.bytes,
        agg.c.packets,
        agg.c.flows,
        agg.src ? agg.src.toJSON() : null,
        agg.top.toJSON(),
      ]);
    }
    if (rows.length) d[dim] = rows;
  }
  for (const pair of PAIRS) {
    const rows: KeyRow[] = [];
    open[pair].forEach((key, c) => rows.push([key, c.bytes, c.packets, c.flows, null, []]));
    if (rows.length) d[pair] = rows;
  }
  const json: PartialJson = {
    v: JSON_VERSION,
    i: instance,
    t: b.t,
    c: [b.total.bytes, b.total.packets, b.total.flows],
    s: b.sources.toJSON(),
    d,
    ...(b.sample ? { f: b.sample.toJSON() } : {}),
  };
  return Buffer.from(JSON.stringify(json));
}

/** Why a partial could not be read. */
export class PartialError extends Error {
  readonly code = 'partial_invalid';
  readonly retriable = false;
}

/**
 * Reads a partial (binary version 2, or JSON version 1) and merges it into `into`. Returns its
 * header (instance, second, flows). Throws PartialError for anything that is not a partial of
 * a version this build reads.
 */
export function mergePartial(
  value: Buffer | Uint8Array | string,
  into: Aggregator,
): { instance: string; t: number; flows: number } {
  if (typeof value !== 'string' && value[0] === BINARY_MAGIC[0] && value[1] === BINARY_MAGIC[1]) {
    let p: ReturnType<typeof decodeBucket>;
    try {
      p = decodeBucket(value, (t) => into.keepsSampleAt(t));
    } catch (err) {
      throw new PartialError(`bad binary partial: ${(err as Error).message}`);
    }
    into.mergeBucket(p.bucket);
    into.countMerged(p.bucket.total.flows);
    return { instance: p.instance, t: p.t, flows: p.bucket.total.flows };
  }
  return mergeJson(value, into);
}

/** A version-1 (JSON) partial, as earlier releases wrote them. */
function mergeJson(
  value: Buffer | Uint8Array | string,
  into: Aggregator,
): { instance: string; t: number; flows: number } {
  let p: PartialJson;
  try {
    p = JSON.parse(
      typeof value === 'string' ? value : Buffer.from(value).toString('utf8'),
    ) as PartialJson;
  } catch (err) {
    throw new PartialError(`partial is neither binary nor JSON: ${(err as Error).message}`);
  }
  if (
    typeof p !== 'object' ||
    p === null ||
    p.v !== JSON_VERSION ||
    typeof p.t !== 'number' ||
    !Array.isArray(p.c)
  ) {
    throw new PartialError(`not a version-${BINARY_VERSION} or version-${JSON_VERSION} partial`);
  }
  const b = emptyBucket(p.t);
  b.total.bytes = p.c[0];
  b.total.packets = p.c[1];
  b.total.flows = p.c[2];
  b.sources = HyperLogLog.fromJSON(p.s);
  const open = b.open as OpenDims;
  for (const pair of PAIRS) {
    for (const [key, bytes, packets, flows] of p.d[pair] ?? []) {
      open[pair].add(key, bytes, packets, flows);
    }
  }
  for (const dim of DIMENSIONS) {
    const m = open[dim];
    for (const [key, bytes, packets, flows, src, top] of p.d[dim] ?? []) {
      m.set(key, {
        c: { bytes, packets, flows },
        src: src ? HyperLogLog.fromJSON(src) : null,
        top: SpaceSaving.fromJSON(TOP_SOURCES_K, top),
      });
    }
  }
  // a restore reads an hour of partials: decode only the samples the window still keeps
  if (p.f !== undefined && into.keepsSampleAt(p.t)) {
    try {
      b.sample = FlowSample.fromJSON(p.f, intern);
    } catch (err) {
      throw new PartialError(`partial's flow sample: ${(err as Error).message}`);
    }
  }
  into.mergeBucket(b);
  into.countMerged(p.c[2]);
  return { instance: p.i, t: p.t, flows: p.c[2] };
}
