import { DIMENSIONS, type Flow, type Vector } from '@surgewatch/shared';
import type { FlowKeys } from '../flow.js';
import { hash32 } from './hash.js';

/**
 * One flow (or one second's share of it) held by a second's {@link FlowSample}: what an alert
 * explanation needs to name ports and filter by any subject. The key fields are named after
 * their dimensions, so `entry[dimension]` is the flow's key; the strings are the enricher's
 * (shared), never copies.
 */
export interface SampledFlow extends Readonly<FlowKeys> {
  readonly src: string;
  readonly sport: number;
  readonly dport: number;
  /** IANA protocol number. */
  readonly proto: number;
  /** Bytes counted in this second (the sampling weight). */
  readonly bytes: number;
  readonly packets: number;
  /** 53-bit content hash; the flow's uniform variate is u = (hash + 1) / 2^53, in (0, 1]. */
  readonly hash: number;
  /** bytes / u. */
  readonly priority: number;
}

/** 2^53: hashes are integers below it, exact in a double. */
const TWO53 = 2 ** 53;

/** The priority of a flow of `bytes` whose content hash is `hash` (53 bits): bytes ÷ u. */
export function priorityOf(bytes: number, hash: number): number {
  return bytes / ((hash + 1) / TWO53);
}

/** Default seed of {@link flowHash}: every instance must use the same one to agree. */
export const FLOW_HASH_SEED = 0x5eed_f10e;

/**
 * A deterministic 53-bit hash of a flow record's content and the second `t` (ms epoch) whose
 * share is sampled, from the 32-bit hash of its source address (`srcHash`, see hash32) and
 * its other fields. Two lanes of murmur3-style mixing; the same record gives the same hash on
 * every instance, so samples merge identically everywhere.
 */
export function flowHash(flow: Flow, t: number, srcHash: number, seed = FLOW_HASH_SEED): number {
  const d = hash32(flow.dst);
  let a = seed ^ srcHash;
  let b = Math.imul(seed, 0x9e3779b1) ^ d;
  a = mix(a, d);
  b = mix(b, srcHash);
  const ports = (flow.sport << 16) ^ flow.dport ^ (flow.proto << 8);
  a = mix(a, ports);
  b = mix(b, ports ^ 0x27d4eb2f);
  const sec = Math.floor(t / 1000);
  a = mix(a, sec);
  b = mix(b, sec ^ 0x165667b1);
  // the counters and times: low and high 32 bits of their integer parts (unrolled: hot path)
  a = mixNum(a, flow.bytes, 0);
  b = mixNum(b, flow.bytes, 1);
  a = mixNum(a, flow.packets, 0);
  b = mixNum(b, flow.packets, 1);
  a = mixNum(a, flow.end - t, 0);
  b = mixNum(b, flow.end - t, 1);
  a = mixNum(a, flow.end - flow.start, 0);
  b = mixNum(b, flow.end - flow.start, 1);
  return (fmix(a) >>> 0) * 2097152 + (fmix(b) >>> 11);
}

function mixNum(h: number, x: number, lane: 0 | 1): number {
  const lo = x | 0;
  const hi = (x / 4294967296) | 0;
  return lane === 0
    ? mix(h, lo ^ Math.imul(hi, 0x85ebca6b))
    : mix(h, hi ^ Math.imul(lo, 0xc2b2ae35));
}

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * Strict order of sampled flows: by priority, then hash, then content. Only identical flows
 * compare equal, and those are interchangeable, so which k + 1 are kept never depends on
 * the order flows or partials arrive in.
 */
export function compareFlows(x: SampledFlow, y: SampledFlow): number {
  if (x.priority !== y.priority) return x.priority < y.priority ? -1 : 1;
  if (x.hash !== y.hash) return x.hash < y.hash ? -1 : 1;
  return (
    cmp(x.src, y.src) ||
    cmp(x.destination, y.destination) ||
    x.sport - y.sport ||
    x.dport - y.dport ||
    x.proto - y.proto ||
    x.bytes - y.bytes ||
    x.packets - y.packets ||
    cmp(x.country, y.country) ||
    cmp(x.asn, y.asn) ||
    cmp(x.service, y.service) ||
    cmp(x.vector, y.vector)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The wire form of a sample: `k`, key tuples, and one row per held flow. */
export interface FlowSampleJson {
  k: number;
  /** Distinct key tuples: country, region, continent, asn, destination, service, protocol, vector. */
  keys: string[][];
  /** src, sport, dport, proto, bytes, packets, hash, index into `keys`. */
  rows: [string, number, number, number, number, number, number, number][];
}

/** A sampled flow's keys on the wire, in the dimensions' order (a contract of the partials). */
const KEY_FIELDS = DIMENSIONS satisfies readonly (keyof FlowKeys)[];

/**
 * A priority sample of one second's flows, weighted by bytes (Duffield, Lund, Thorup):
 * each flow gets priority bytes ÷ u, u a hash of its content in (0, 1]; the sample is the `k`
 * highest priorities, and the (k + 1)-th is the threshold τ. A sampled flow stands for
 * max(bytes, τ) bytes, so the estimate of any subset's bytes (one port, one country's flows
 * to one target) is unbiased, and exact while the second has at most `k` flows.
 *
 * Mergeable exactly: the top k + 1 of a union lie in the union of each part's top k + 1, so
 * merging samples (partials, instances) gives the sample of all the flows, whatever the order.
 * A min-heap of k + 1 entries: a flow below the smallest costs one hash and one compare.
 */
export class FlowSample {
  private heap: SampledFlow[] = [];

  constructor(private kept: number) {}

  /** Flows sampled (the threshold flow is held besides them). */
  get k(): number {
    return this.kept;
  }

  /** Flows held: at most k + 1. */
  get size(): number {
    return this.heap.length;
  }

  /**
   * Offers a flow's bytes in one second: `flow` for its addresses, ports and protocol; `bytes`
   * and `packets` the share counted in that second; `hash` its {@link flowHash}; `keys` its
   * enrichment (copied: the caller reuses the object).
   */
  offer(flow: Flow, bytes: number, packets: number, hash: number, keys: FlowKeys): void {
    if (!(bytes > 0)) return; // weighs nothing: no subset sum needs it
    const priority = priorityOf(bytes, hash);
    const heap = this.heap;
    const full = heap.length > this.kept;
    if (full) {
      const min = heap[0] as SampledFlow;
      if (priority < min.priority || (priority === min.priority && hash < min.hash)) return;
    }
    const e: SampledFlow = {
      src: flow.src,
      sport: flow.sport,
      dport: flow.dport,
      proto: flow.proto,
      bytes,
      packets,
      hash,
      priority,
      country: keys.country,
      region: keys.region,
      continent: keys.continent,
      asn: keys.asn,
      destination: keys.destination,
      service: keys.service,
      protocol: keys.protocol,
      vector: keys.vector,
    };
    this.insert(e);
  }

  /** Adds one held flow (shared, never changed) unless k + 1 higher ones are held. */
  private insert(e: SampledFlow): void {
    const heap = this.heap;
    if (heap.length <= this.kept) {
      heap.push(e);
      siftUp(heap, heap.length - 1);
      return;
    }
    if (compareFlows(e, heap[0] as SampledFlow) <= 0) return;
    heap[0] = e;
    siftDown(heap, 0);
  }

  /**
   * Folds another sample of the same second in: the sample of the union. A part sampled with
   * a smaller k lacks what a larger sample of the union would need, so the union is sampled
   * with the smaller k (exact still).
   */
  merge(other: FlowSample): void {
    if (other.kept < this.kept) this.shrink(other.kept);
    for (const e of other.heap) this.insert(e);
  }

  /**
   * Keeps only the `k` highest (and the threshold): exactly the sample a smaller `k` would
   * have drawn, so it still merges with samples of any size.
   */
  shrink(k: number): void {
    if (k >= this.kept) return;
    this.kept = k;
    const heap = this.heap;
    while (heap.length > k + 1) {
      heap[0] = heap[heap.length - 1] as SampledFlow;
      heap.pop();
      siftDown(heap, 0);
    }
  }

  /**
   * Drops the flows whose priority is below `floor`: the threshold of a sample of the same
   * second that holds more flows. Its threshold only rises as flows are merged in, so a flow
   * below it can never be in the union's sample; merging what is left into a sample of that
   * second gives exactly what merging all of it would.
   */
  dropBelow(floor: number): void {
    if (!(floor > 0)) return;
    const kept = this.heap.filter((e) => e.priority >= floor);
    if (kept.length === this.heap.length) return;
    this.heap = [];
    for (const e of kept) {
      this.heap.push(e);
      siftUp(this.heap, this.heap.length - 1);
    }
  }

  /** A copy holding the same flows, sampling `k` (≤ this one's k keeps the smaller sample). */
  copy(k: number = this.kept): FlowSample {
    const s = new FlowSample(this.kept);
    s.heap = this.heap.slice();
    s.shrink(k);
    return s;
  }

  /** τ, bytes: the (k + 1)-th priority once more than k flows were offered, else 0. */
  threshold(): number {
    return this.heap.length > this.kept ? (this.heap[0] as SampledFlow).priority : 0;
  }

  /**
   * Visits the sampled flows (not the threshold one) with the bytes each stands for,
   * max(bytes, τ); scale any other counter of the flow by `est / bytes`. Order unspecified.
   */
  forEach(fn: (flow: SampledFlow, estBytes: number) => void): void {
    const heap = this.heap;
    const full = heap.length > this.kept;
    const tau = full ? (heap[0] as SampledFlow).priority : 0;
    for (let i = full ? 1 : 0; i < heap.length; i++) {
      const e = heap[i] as SampledFlow;
      fn(e, e.bytes > tau ? e.bytes : tau);
    }
  }

  /** The held flows (the threshold flow among them), in no order; read-only: for partials. */
  held(): readonly SampledFlow[] {
    return this.heap;
  }

  /**
   * A sample of `k` holding `flows` (as read back from a partial: their priorities are
   * recomputed from bytes and hash, and only the k + 1 highest are kept). Throws on a flow
   * that no sample could hold.
   */
  static fromFlows(k: number, flows: Iterable<Omit<SampledFlow, 'priority'>>): FlowSample {
    if (!Number.isInteger(k) || k < 0) throw new Error('flow sample: bad k');
    const s = new FlowSample(k);
    for (const f of flows) {
      if (!(f.bytes > 0) || !Number.isInteger(f.hash) || !(f.hash >= 0 && f.hash < TWO53))
        throw new Error('flow sample: bad row');
      s.insert({ ...f, priority: priorityOf(f.bytes, f.hash) });
    }
    return s;
  }

  toJSON(): FlowSampleJson {
    const keys: string[][] = [];
    const index = new Map<string, number>();
    const rows: FlowSampleJson['rows'] = [];
    for (const e of this.heap) {
      const tuple = KEY_FIELDS.map((f) => e[f]);
      const id = tuple.join('\u001e');
      let i = index.get(id);
      if (i === undefined) {
        i = keys.length;
        keys.push(tuple);
        index.set(id, i);
      }
      rows.push([e.src, e.sport, e.dport, e.proto, e.bytes, e.packets, e.hash, i]);
    }
    return { k: this.kept, keys, rows };
  }

  /**
   * Reads a sample back. `intern` maps each key string to a shared copy (an hour of samples
   * must not hold its own copy of "RU" per flow). Throws on anything malformed.
   */
  static fromJSON(json: unknown, intern: (s: string) => string = (s) => s): FlowSample {
    const j = json as FlowSampleJson;
    if (
      typeof j !== 'object' ||
      j === null ||
      !Number.isInteger(j.k) ||
      j.k < 0 ||
      !Array.isArray(j.keys) ||
      !Array.isArray(j.rows)
    ) {
      throw new Error('flow sample: not {k, keys, rows}');
    }
    const tuples = j.keys.map((t) => {
      if (
        !Array.isArray(t) ||
        t.length !== KEY_FIELDS.length ||
        t.some((s) => typeof s !== 'string')
      )
        throw new Error('flow sample: bad key tuple');
      return t.map(intern);
    });
    const s = new FlowSample(j.k);
    for (const r of j.rows) {
      if (!Array.isArray(r) || r.length !== 8 || typeof r[0] !== 'string')
        throw new Error('flow sample: bad row');
      const [src, sport, dport, proto, bytes, packets, hash, ki] = r;
      const t = tuples[ki];
      if (
        !t ||
        ![sport, dport, proto, bytes, packets, hash].every((x) => typeof x === 'number') ||
        !(bytes > 0) ||
        !(hash >= 0 && hash < TWO53)
      ) {
        throw new Error('flow sample: bad row');
      }
      s.insert({
        src,
        sport,
        dport,
        proto,
        bytes,
        packets,
        hash,
        priority: priorityOf(bytes, hash),
        country: t[0] as string,
        region: t[1] as string,
        continent: t[2] as string,
        asn: t[3] as string,
        destination: t[4] as string,
        service: t[5] as string,
        protocol: t[6] as string,
        vector: t[7] as Vector,
      });
    }
    return s;
  }
}

function siftUp(heap: SampledFlow[], i: number): void {
  const e = heap[i] as SampledFlow;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const parent = heap[p] as SampledFlow;
    if (compareFlows(parent, e) <= 0) break;
    heap[i] = parent;
    i = p;
  }
  heap[i] = e;
}

function siftDown(heap: SampledFlow[], i: number): void {
  const n = heap.length;
  const e = heap[i] as SampledFlow;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    const r = c + 1;
    if (r < n && compareFlows(heap[r] as SampledFlow, heap[c] as SampledFlow) < 0) c = r;
    const child = heap[c] as SampledFlow;
    if (compareFlows(child, e) >= 0) break;
    heap[i] = child;
    i = c;
  }
  heap[i] = e;
}
