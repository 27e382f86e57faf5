import { DIMENSIONS, PAIRS, type AggDimension } from '@surgewatch/shared';
import type { Aggregator } from './aggregator.js';
import { emptyBucket, intern, type Bucket, type OpenDims } from './bucket.js';
import { FlowSample, type FlowSampleJson } from './flowSample.js';
import { HyperLogLog } from './hll.js';
import { TOP_SOURCES_K } from './keyAgg.js';
import { SpaceSaving } from './spaceSaving.js';

/** Wire version of a partial; bump on any incompatible change. */
export const PARTIAL_VERSION = 1;

type HllJson = ReturnType<HyperLogLog['toJSON']>;
/** One key: [key, bytes, packets, flows, distinct sources (null: the top sources are all of them), top sources]. */
type KeyRow = [string, number, number, number, HllJson | null, [string, number, number][]];

/**
 * One second of one instance's delta, as produced to `surgewatch.partials`: exact counters
 * and the sketches, so any instance that reads it can merge it (counters add, sketches merge).
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
 * Turns a delta into one partial per second it touched, oldest first. The caller produces
 * them in the same transaction as the input offsets they cover.
 */
export function encodePartials(
  delta: Aggregator,
  instance: string,
): { t: number; value: Buffer }[] {
  const out: { t: number; value: Buffer }[] = [];
  for (const t of delta.bucketTimes()) {
    const b = delta.getBucket(t) as Bucket;
    if (!b.open) throw new Error('a delta is never sealed');
    const d: PartialJson['d'] = {};
    for (const dim of DIMENSIONS) {
      const rows: KeyRow[] = [];
      for (const [key, agg] of b.open[dim]) {
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
      // pairs keep no sources: the same row shape, with none
      const rows: KeyRow[] = [];
      b.open[pair].forEach((key, c) => rows.push([key, c.bytes, c.packets, c.flows, null, []]));
      if (rows.length) d[pair] = rows;
    }
    const json: PartialJson = {
      v: PARTIAL_VERSION,
      i: instance,
      t,
      c: [b.total.bytes, b.total.packets, b.total.flows],
      s: b.sources.toJSON(),
      d,
      ...(b.sample ? { f: b.sample.toJSON() } : {}),
    };
    out.push({ t, value: Buffer.from(JSON.stringify(json)) });
  }
  return out;
}

/** Why a partial could not be read. */
export class PartialError extends Error {
  readonly code = 'partial_invalid';
  readonly retriable = false;
}

/**
 * Reads a partial and merges it into `into`. Returns its header (instance, second, flows).
 * Throws PartialError for anything that is not a partial of this version.
 */
export function mergePartial(
  value: Buffer | Uint8Array | string,
  into: Aggregator,
): { instance: string; t: number; flows: number } {
  let p: PartialJson;
  try {
    p = JSON.parse(
      typeof value === 'string' ? value : Buffer.from(value).toString('utf8'),
    ) as PartialJson;
  } catch (err) {
    throw new PartialError(`partial is not JSON: ${(err as Error).message}`);
  }
  if (
    typeof p !== 'object' ||
    p === null ||
    p.v !== PARTIAL_VERSION ||
    typeof p.t !== 'number' ||
    !Array.isArray(p.c)
  ) {
    throw new PartialError(`not a version-${PARTIAL_VERSION} partial`);
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
