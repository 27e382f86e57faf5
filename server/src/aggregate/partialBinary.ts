import {
  DIMENSIONS,
  PAIR_SEP,
  PAIRS,
  type AggDimension,
  type Dimension,
  type Pair,
  type Vector,
} from '@surgewatch/shared';
import { emptyBucket, intern, isPair, type Bucket, type OpenDims } from './bucket.js';
import { FlowSample, type SampledFlow } from './flowSample.js';
import { HyperLogLog, isRegisterBytes } from './hll.js';
import { TOP_SOURCES_K, type KeyAgg } from './keyAgg.js';
import {
  addrsOf,
  emptyAddrs,
  newReader,
  newWriter,
  readAddrField,
  readNums,
  readU32s,
  readU53,
  stringAt,
  StringTable,
  WIRE_BYTES,
  writeAddrs,
  writeNums,
  writeU32s,
  writeU53,
  type AddrColumns,
  type Reader,
  type Writer,
} from './partialWire.js';
import { SpaceSaving } from './spaceSaving.js';

/**
 * The first bytes of a binary partial: "SW" and the format version. A JSON partial (version
 * 1) starts with "{", so the two never mix up.
 */
export const BINARY_MAGIC = [0x53, 0x57] as const;
export const BINARY_VERSION = 2;

/*
 * The message after the three prefix bytes, in protobuf terms (field numbers are the wire
 * contract; a reader skips fields it does not know):
 *
 *   message Partial {
 *     string instance = 1;
 *     uint64 t = 2;                  // start of the second, ms epoch
 *     repeated string strings = 3;   // every key, key part and non-IPv4 address, once
 *     Nums total = 4/5;              // bytes, packets, flows
 *     bytes sources = 6;             // the second's distinct-source sketch (HyperLogLog.toBytes)
 *                                    // (every sketch may instead refer to an equal earlier one: SketchTable)
 *     repeated Dim dims = 7;
 *     Sample sample = 8;
 *   }
 *   message Dim {
 *     string name = 1;               // "country", …, "country.asn", …
 *     Addrs keys = 15/16/17;         // a pair's: its second part, for the keys that have one
 *     packed uint32 firsts = 2;      // a pair's first part (the country), string refs
 *     packed uint32 whole = 18;      // a pair's keys without a separator ("other"): firsts alone
 *     Nums counters = 3/4;           // bytes, packets, flows per key
 *     packed uint32 sketched = 5;    // keys (ascending indices) with a distinct-source sketch
 *     repeated bytes sketches = 6;   // their sketches, in that order
 *     packed uint32 tops = 7;        // top-source entries per key
 *     Addrs items = 8/9/10;          // the entries' sources
 *     Nums weights = 11/12; Nums errors = 13/14;
 *   }
 *   message Sample {
 *     uint32 k = 1;
 *     packed uint32 tuples = 2;      // 8 string refs per distinct key tuple (the dimensions' order)
 *     Addrs src = 3/4/5;
 *     packed uint32 sport = 6, dport = 7, proto = 8;
 *     Nums bytes = 9/10; Nums packets = 11/12;
 *     packed uint64 hash = 13;       // 53 bits
 *     packed uint32 tuple = 14;      // each flow's key tuple
 *   }
 *
 * Nums = packed varints (field n) or, when a value is not an integer in [0, 2^53), packed
 * doubles (field n + 1). Addrs = packed fixed32 IPv4 (n), packed string refs (n + 1) and,
 * when mixed, a bitmap of which are refs (n + 2).
 */

const tag = (field: number, wire: number): number => (field << 3) | wire;

/** One second of a delta (open) as a binary partial, prefix included. */
export function encodeBucket(b: Bucket, instance: string): Uint8Array {
  const open = b.open as OpenDims;
  const strings = new StringTable();
  const sketches = new SketchTable();
  const sources = sketches.ref(b.sources.toBytes());
  const body = newWriter();
  for (const d of DIMENSIONS) writeDim(body, d, open[d], strings, sketches);
  for (const p of PAIRS) writePairs(body, p, open, strings);
  if (b.sample) {
    body.uint32(tag(8, WIRE_BYTES)).fork();
    writeSample(body, b.sample, strings);
    body.ldelim();
  }
  const w = newWriter();
  for (const x of BINARY_MAGIC) w.uint32(x); // one byte each (< 128)
  w.uint32(BINARY_VERSION);
  w.uint32(tag(1, WIRE_BYTES)).string(instance);
  w.uint32(tag(2, 0));
  writeU53(w, b.t);
  for (const s of strings.list) w.uint32(tag(3, WIRE_BYTES)).string(s);
  writeNums(w, 4, [b.total.bytes, b.total.packets, b.total.flows]);
  w.uint32(tag(6, WIRE_BYTES)).bytes(sources);
  const head = w.finish();
  const tail = body.finish();
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

/**
 * The sketches of one partial, numbered in the order written (the second's first): one whose
 * registers equal an earlier one's is written as a reference to it (REF, then its number).
 * Keys that saw the same sources — a protocol, its vector, its only service, the second
 * itself — often do.
 */
class SketchTable {
  private readonly seen = new Map<string, number>();
  private n = 0;

  ref(bytes: Uint8Array): Uint8Array {
    const i = this.n++;
    if (!isRegisterBytes(bytes) || bytes.length < 8) return bytes;
    const id = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const earlier = this.seen.get(id);
    if (earlier === undefined) {
      this.seen.set(id, i);
      return bytes;
    }
    const w = newWriter();
    w.uint32(SKETCH_REF).uint32(earlier);
    return w.finish();
  }
}

/** The first byte of a sketch that refers to an earlier one (no sketch kind uses it). */
const SKETCH_REF = 0x7f;

/** A sketch as read: itself, or the earlier one it refers to (`seen`: every one so far). */
function sketchAt(bytes: Uint8Array, seen: Uint8Array[]): Uint8Array {
  let out = bytes;
  if (bytes[0] === SKETCH_REF) {
    const r = newReader(bytes);
    r.uint32();
    const ref = seen[r.uint32()];
    if (!ref || !isRegisterBytes(ref) || r.pos !== r.len) throw new Error('bad sketch reference');
    out = ref;
  }
  seen.push(out);
  return out;
}

function writeDim(
  w: Writer,
  d: Dimension,
  m: Map<string, KeyAgg>,
  strings: StringTable,
  refs: SketchTable,
): void {
  if (m.size === 0) return;
  const keys: string[] = [];
  const counters: number[] = [];
  const sketched: number[] = [];
  const sketches: Uint8Array[] = [];
  const tops: number[] = [];
  const items: string[] = [];
  const weights: number[] = [];
  const errors: number[] = [];
  let i = 0;
  for (const [key, agg] of m) {
    keys.push(key);
    counters.push(agg.c.bytes, agg.c.packets, agg.c.flows);
    if (agg.src) {
      sketched.push(i);
      sketches.push(refs.ref(agg.src.toBytes(agg.top.hashList())));
    }
    const e = agg.top.entries();
    tops.push(e.items.length);
    for (let j = 0; j < e.items.length; j++) {
      items.push(e.items[j] as string);
      weights.push(e.weights[j] as number);
      errors.push(e.errors[j] as number);
    }
    i++;
  }
  w.uint32(tag(7, WIRE_BYTES)).fork();
  w.uint32(tag(1, WIRE_BYTES)).string(d);
  writeAddrs(w, 15, keys, strings);
  writeNums(w, 3, counters);
  writeU32s(w, 5, sketched);
  for (const s of sketches) w.uint32(tag(6, WIRE_BYTES)).bytes(s);
  // a slim second (see slimOpen) has no top sources at all: no column
  if (items.length) writeU32s(w, 7, tops);
  writeAddrs(w, 8, items, strings);
  writeNums(w, 11, weights);
  writeNums(w, 13, errors);
  w.ldelim();
}

function writePairs(w: Writer, p: Pair, open: OpenDims, strings: StringTable): void {
  const table = open[p];
  if (table.size === 0) return;
  const { keys, num } = table.raw();
  // a pair is its country (a small ref) and the other key (an address or a ref)
  const firsts: number[] = [];
  const seconds: string[] = [];
  const whole: number[] = [];
  keys.forEach((key, i) => {
    const cut = key.indexOf(PAIR_SEP);
    if (cut < 0) {
      firsts.push(strings.ref(key));
      whole.push(i);
    } else {
      firsts.push(strings.ref(key.slice(0, cut)));
      seconds.push(key.slice(cut + 1));
    }
  });
  w.uint32(tag(7, WIRE_BYTES)).fork();
  w.uint32(tag(1, WIRE_BYTES)).string(p);
  writeU32s(w, 2, firsts);
  writeAddrs(w, 15, seconds, strings);
  writeU32s(w, 18, whole);
  writeNums(w, 3, num.subarray(0, keys.length * 3));
  w.ldelim();
}

const KEY_FIELDS = DIMENSIONS;

function writeSample(w: Writer, s: FlowSample, strings: StringTable): void {
  const held = s.held();
  const tuples: number[] = [];
  const tupleIds = new Map<string, number>();
  const src: string[] = [];
  const sport: number[] = [];
  const dport: number[] = [];
  const proto: number[] = [];
  const bytes: number[] = [];
  const packets: number[] = [];
  const tupleOf: number[] = [];
  for (const f of held) {
    let id = '';
    for (const k of KEY_FIELDS) id += f[k] + '\u001e';
    let ti = tupleIds.get(id);
    if (ti === undefined) {
      ti = tupleIds.size;
      tupleIds.set(id, ti);
      for (const k of KEY_FIELDS) tuples.push(strings.ref(f[k]));
    }
    tupleOf.push(ti);
    src.push(f.src);
    sport.push(f.sport);
    dport.push(f.dport);
    proto.push(f.proto);
    bytes.push(f.bytes);
    packets.push(f.packets);
  }
  w.uint32(tag(1, 0)).uint32(s.k);
  writeU32s(w, 2, tuples);
  writeAddrs(w, 3, src, strings);
  writeU32s(w, 6, sport);
  writeU32s(w, 7, dport);
  writeU32s(w, 8, proto);
  writeNums(w, 9, bytes);
  writeNums(w, 11, packets);
  if (held.length) {
    w.uint32(tag(13, WIRE_BYTES)).fork();
    for (const f of held) writeU53(w, f.hash);
    w.ldelim();
  }
  writeU32s(w, 14, tupleOf);
}

/** A binary partial read back: its header and its second as an open bucket. */
export interface DecodedPartial {
  instance: string;
  t: number;
  bucket: Bucket;
}

/**
 * Reads a binary partial (prefix included). `keepSample(t)` says whether the second's flow
 * sample is wanted (a restore skips the ones its window no longer keeps). Throws on anything
 * malformed.
 */
export function decodeBucket(
  value: Uint8Array,
  keepSample: (t: number) => boolean,
): DecodedPartial {
  if (value[0] !== BINARY_MAGIC[0] || value[1] !== BINARY_MAGIC[1])
    throw new Error('not a binary partial');
  if (value[2] !== BINARY_VERSION) throw new Error(`binary partial version ${value[2]}`);
  const r = newReader(value.subarray(3));
  let instance = '';
  let t = NaN;
  const strings: string[] = [];
  const total: number[] = [];
  let sources: Uint8Array | null = null;
  const dims: Uint8Array[] = [];
  let sample: Uint8Array | null = null;
  while (r.pos < r.len) {
    const key = r.uint32();
    const field = key >>> 3;
    if (field === 1) instance = r.string();
    else if (field === 2) t = readU53(r);
    else if (field === 3) strings.push(r.string());
    else if (field === 4 || field === 5) readNums(r, field === 5, total);
    else if (field === 6) sources = r.bytes();
    else if (field === 7) dims.push(r.bytes());
    else if (field === 8) sample = r.bytes();
    else r.skipType(key & 7);
  }
  if (!Number.isFinite(t) || total.length !== 3 || !sources)
    throw new Error('binary partial without its second, totals or sources');
  const b = emptyBucket(t);
  b.total.bytes = total[0] as number;
  b.total.packets = total[1] as number;
  b.total.flows = total[2] as number;
  const seen: Uint8Array[] = [];
  b.sources = HyperLogLog.fromBytes(sketchAt(sources, seen));
  const open = b.open as OpenDims;
  for (const d of dims) readDim(d, strings, open, seen);
  if (sample && keepSample(t)) b.sample = readSample(sample, strings);
  return { instance, t, bucket: b };
}

function readDim(
  value: Uint8Array,
  strings: readonly string[],
  open: OpenDims,
  seen: Uint8Array[],
): void {
  const r = newReader(value);
  let name = '';
  const firsts: number[] = [];
  const keyAddrs: AddrColumns = emptyAddrs();
  const whole: number[] = [];
  const counters: number[] = [];
  const sketched: number[] = [];
  const sketches: Uint8Array[] = [];
  const tops: number[] = [];
  const items: AddrColumns = emptyAddrs();
  const weights: number[] = [];
  const errors: number[] = [];
  while (r.pos < r.len) {
    const key = r.uint32();
    const field = key >>> 3;
    if (field === 1) name = r.string();
    else if (field === 2) readU32s(r, firsts);
    else if (field >= 15 && field <= 17) readAddrField(r, field - 15, keyAddrs);
    else if (field === 18) readU32s(r, whole);
    else if (field === 3 || field === 4) readNums(r, field === 4, counters);
    else if (field === 5) readU32s(r, sketched);
    else if (field === 6) sketches.push(r.bytes());
    else if (field === 7) readU32s(r, tops);
    else if (field >= 8 && field <= 10) readAddrField(r, field - 8, items);
    else if (field === 11 || field === 12) readNums(r, field === 12, weights);
    else if (field === 13 || field === 14) readNums(r, field === 14, errors);
    else r.skipType(key & 7);
  }
  const d = name as AggDimension;
  if (!(d in open)) throw new Error(`unknown dimension ${JSON.stringify(name)}`);
  const n = counters.length / 3;
  if (!Number.isInteger(n)) throw new Error(`${d}: bad counters`);
  if (isPair(d)) {
    if (firsts.length !== n) throw new Error(`${d}: bad columns`);
    const seconds = addrsOf(keyAddrs, n - whole.length, strings);
    const table = open[d];
    let w = 0;
    let j = 0;
    for (let i = 0; i < n; i++) {
      let k = stringAt(strings, firsts[i] as number);
      if (whole[w] === i) w++;
      else k += PAIR_SEP + (seconds[j++] as string);
      table.add(
        k,
        counters[i * 3] as number,
        counters[i * 3 + 1] as number,
        counters[i * 3 + 2] as number,
      );
    }
    if (w !== whole.length) throw new Error(`${d}: bad columns`);
    return;
  }
  const keys = addrsOf(keyAddrs, n, strings);
  if (tops.length === 0) for (let i = 0; i < n; i++) tops.push(0);
  if (tops.length !== n || sketched.length !== sketches.length)
    throw new Error(`${d}: bad columns`);
  const entries = weights.length;
  if (errors.length !== entries) throw new Error(`${d}: bad top sources`);
  const sources = addrsOf(items, entries, strings);
  const m = open[d as Dimension];
  let e = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const count = tops[i] as number;
    if (e + count > entries) throw new Error(`${d}: bad top sources`);
    const top = SpaceSaving.fromEntries(
      TOP_SOURCES_K,
      sources.slice(e, e + count),
      weights.slice(e, e + count),
      errors.slice(e, e + count),
    );
    let src: HyperLogLog | null = null;
    if (sketched[s] === i)
      src = HyperLogLog.fromBytes(sketchAt(sketches[s++] as Uint8Array, seen), top.hashList());
    m.set(keys[i] as string, {
      c: {
        bytes: counters[i * 3] as number,
        packets: counters[i * 3 + 1] as number,
        flows: counters[i * 3 + 2] as number,
      },
      src,
      top,
    });
    e += count;
  }
  if (s !== sketches.length || e !== entries) throw new Error(`${d}: bad columns`);
}

function readSample(value: Uint8Array, strings: readonly string[]): FlowSample {
  const r: Reader = newReader(value);
  let k = -1;
  const tuples: number[] = [];
  const src: AddrColumns = emptyAddrs();
  const sport: number[] = [];
  const dport: number[] = [];
  const proto: number[] = [];
  const bytes: number[] = [];
  const packets: number[] = [];
  const hashes: number[] = [];
  const tupleOf: number[] = [];
  while (r.pos < r.len) {
    const key = r.uint32();
    const field = key >>> 3;
    if (field === 1) k = r.uint32();
    else if (field === 2) readU32s(r, tuples);
    else if (field >= 3 && field <= 5) readAddrField(r, field - 3, src);
    else if (field === 6) readU32s(r, sport);
    else if (field === 7) readU32s(r, dport);
    else if (field === 8) readU32s(r, proto);
    else if (field === 9 || field === 10) readNums(r, field === 10, bytes);
    else if (field === 11 || field === 12) readNums(r, field === 12, packets);
    else if (field === 13) {
      const end = r.uint32() + r.pos;
      if (end > r.len) throw new RangeError('column past the end');
      while (r.pos < end) hashes.push(readU53(r));
    } else if (field === 14) readU32s(r, tupleOf);
    else r.skipType(key & 7);
  }
  const n = hashes.length;
  const width = KEY_FIELDS.length;
  if (
    k < 0 ||
    tuples.length % width !== 0 ||
    [sport, dport, proto, bytes, packets, tupleOf].some((c) => c.length !== n)
  )
    throw new Error('flow sample: bad columns');
  const addrs = addrsOf(src, n, strings);
  const keyTuples: string[][] = [];
  for (let i = 0; i < tuples.length; i += width)
    keyTuples.push(tuples.slice(i, i + width).map((ref) => intern(stringAt(strings, ref))));
  const flows: Omit<SampledFlow, 'priority'>[] = [];
  for (let i = 0; i < n; i++) {
    const kt = keyTuples[tupleOf[i] as number];
    if (!kt) throw new Error('flow sample: bad key tuple');
    flows.push({
      src: addrs[i] as string,
      sport: sport[i] as number,
      dport: dport[i] as number,
      proto: proto[i] as number,
      bytes: bytes[i] as number,
      packets: packets[i] as number,
      hash: hashes[i] as number,
      country: kt[0] as string,
      region: kt[1] as string,
      continent: kt[2] as string,
      asn: kt[3] as string,
      destination: kt[4] as string,
      service: kt[5] as string,
      protocol: kt[6] as string,
      vector: kt[7] as Vector,
    });
  }
  return FlowSample.fromFlows(k, flows);
}
