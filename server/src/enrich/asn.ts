import { parseIPv4 } from './ipv4.js';
import ipaddr from 'ipaddr.js';

/**
 * A compact, sorted range table: address range → AS number, with AS names interned.
 * IPv4 ranges are exact 32-bit integers; IPv6 ranges by their upper 64 bits (routing
 * allocations are never smaller than a /64).
 */
export interface AsnTable {
  /** The AS number of an address, or 0 when unknown. */
  lookup(ip: string): number;
  /** The same for an IPv4 address parsed to an unsigned 32-bit integer (not cached). */
  lookupV4(n: number): number;
  /** The AS organisation name, or '' when unknown. */
  name(asn: number): string;
  readonly size: number;
  /**
   * A database that tells names with lookups (a MaxMind or DB-IP .mmdb): the names learnt
   * since the last call, so a pipeline worker can pass them to the main thread, which names
   * keys but never looks addresses up.
   */
  drainNames?(): [number, string][];
  /** Names learnt elsewhere (a pipeline worker's `drainNames`). */
  addNames?(names: readonly [number, string][]): void;
}

export interface Ranges<T extends Uint32Array | BigUint64Array> {
  start: T;
  end: T;
  asn: Uint32Array;
}

/** The ranges and names behind an {@link AsnTable}: what the binary cache holds. */
export interface AsnData {
  v4: Ranges<Uint32Array>;
  v6: Ranges<BigUint64Array>;
  names: Map<number, string>;
}

/** Parses the ip-location-db `asn-ipv4-num.csv` / `asn-ipv6-num.csv` text into a table. */
export function parseAsnCsv(v4csv: string, v6csv: string): AsnTable {
  return asnTable(parseAsnData(v4csv, v6csv));
}

/** Parses the ip-location-db CSV text into ranges and names. */
export function parseAsnData(v4csv: string, v6csv: string): AsnData {
  const names = new Map<number, string>();
  const v4 = parseRanges(v4csv, names, (s) => Number(s), Uint32Array);
  const v6 = parseRanges(v6csv, names, (s) => BigInt(s) >> 64n, BigUint64Array);
  return { v4, v6, names };
}

/** 12 bytes that open a cache file: the format and its version. */
const MAGIC = 'surgewatch:1';

/**
 * The table as bytes, for the start-up cache (load.ts): a header, the typed arrays as they
 * are in memory, then the names as JSON. Reading it back takes milliseconds where parsing
 * the 45 MB of CSV takes most of a second.
 */
export function encodeAsnData(d: AsnData): Buffer {
  const names = Buffer.from(JSON.stringify([...d.names]));
  const head = Buffer.alloc(24);
  head.write(MAGIC, 0, 12, 'latin1');
  head.writeUInt32LE(d.v4.start.length, 12);
  head.writeUInt32LE(d.v6.start.length, 16);
  head.writeUInt32LE(names.length, 20);
  const bytes = (a: Uint32Array | BigUint64Array) =>
    Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.concat([
    head,
    bytes(d.v6.start),
    bytes(d.v6.end),
    bytes(d.v4.start),
    bytes(d.v4.end),
    bytes(d.v4.asn),
    bytes(d.v6.asn),
    names,
  ]);
}

/** Reads {@link encodeAsnData} output; throws on anything else (a stale or damaged cache). */
export function decodeAsnData(buf: Buffer): AsnData {
  if (buf.length < 24 || buf.toString('latin1', 0, 12) !== MAGIC) {
    throw new Error('not a surgewatch ASN cache');
  }
  const n4 = buf.readUInt32LE(12);
  const n6 = buf.readUInt32LE(16);
  const namesLen = buf.readUInt32LE(20);
  if (buf.length !== 24 + n6 * 16 + n4 * 12 + n6 * 4 + namesLen) {
    throw new Error('ASN cache has the wrong length');
  }
  // copies: the typed arrays need their own aligned memory
  let at = 24;
  const take = <T extends Uint32Array | BigUint64Array>(
    n: number,
    Arr: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
  ): T => {
    const len = n * Arr.BYTES_PER_ELEMENT;
    const out = new Arr(
      buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + len) as ArrayBuffer,
    );
    at += len;
    return out;
  };
  const v6start = take(n6, BigUint64Array);
  const v6end = take(n6, BigUint64Array);
  const v4start = take(n4, Uint32Array);
  const v4end = take(n4, Uint32Array);
  const v4asn = take(n4, Uint32Array);
  const v6asn = take(n6, Uint32Array);
  const names = new Map(JSON.parse(buf.toString('utf8', at, at + namesLen)) as [number, string][]);
  return {
    v4: { start: v4start, end: v4end, asn: v4asn },
    v6: { start: v6start, end: v6end, asn: v6asn },
    names,
  };
}

/** A lookup table over parsed or cached ranges. */
export function asnTable({ v4, v6, names }: AsnData): AsnTable {
  const cache = new Map<string, number>();

  const find = <T extends Uint32Array | BigUint64Array>(r: Ranges<T>, x: T[number]): number => {
    let lo = 0;
    let hi = r.start.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((r.start[mid] as T[number]) <= x) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0) return 0;
    return x <= (r.end[hi] as T[number]) ? (r.asn[hi] as number) : 0;
  };

  const resolve = (ip: string): number => {
    const n = parseIPv4(ip);
    if (n >= 0) return find(v4, n);
    if (!ipaddr.IPv6.isValid(ip)) return 0;
    const a = ipaddr.IPv6.parse(ip);
    if (a.isIPv4MappedAddress()) return resolve(a.toIPv4Address().toString());
    const p = a.parts;
    const hi =
      (BigInt(p[0] as number) << 48n) |
      (BigInt(p[1] as number) << 32n) |
      (BigInt(p[2] as number) << 16n) |
      BigInt(p[3] as number);
    return find(v6, hi);
  };

  return {
    size: v4.start.length + v6.start.length,
    name: (asn) => names.get(asn) ?? '',
    lookupV4: (n) => find(v4, n),
    lookup(ip) {
      let a = cache.get(ip);
      if (a === undefined) {
        a = resolve(ip);
        if (cache.size >= 65_536) cache.clear();
        cache.set(ip, a);
      }
      return a;
    },
  };
}

function parseRanges<T extends Uint32Array | BigUint64Array>(
  csv: string,
  names: Map<number, string>,
  num: (s: string) => T[number],
  Arr: { new (n: number): T },
): Ranges<T> {
  const lines = csv.split('\n');
  const start = new Arr(lines.length);
  const end = new Arr(lines.length);
  const asn = new Uint32Array(lines.length);
  let n = 0;
  for (const line of lines) {
    if (!line) continue;
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    const c3 = line.indexOf(',', c2 + 1);
    if (c1 < 0 || c2 < 0 || c3 < 0) continue;
    const a = Number(line.slice(c2 + 1, c3));
    start[n] = num(line.slice(0, c1));
    end[n] = num(line.slice(c1 + 1, c2));
    asn[n] = a;
    if (!names.has(a)) {
      let name = line.slice(c3 + 1).trim();
      if (name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/""/g, '"');
      names.set(a, name);
    }
    n++;
  }
  // the files are sorted by start; trust but keep the arrays exact-sized
  return {
    start: start.subarray(0, n) as T,
    end: end.subarray(0, n) as T,
    asn: asn.subarray(0, n),
  };
}
