import { UNKNOWN_KEY } from '@surgewatch/shared';
import ipaddr from 'ipaddr.js';
import { formatIPv4, parseIPv4, specialLabelV4 } from './ipv4.js';
import { specialLabel } from './special.js';

/** The part of an mmdb reader we use: `get(ip)` returns the record or null. */
export interface MmdbTable {
  get(ip: string): unknown;
}

/**
 * Country of an address from a country .mmdb: DB-IP / ip-location-db records
 * (`{country_code}`) and MaxMind GeoLite2 records (`{country: {iso_code}}`) alike.
 */
function countryCode(record: unknown): string | null {
  if (typeof record !== 'object' || record === null) return null;
  const r = record as { country_code?: unknown; country?: { iso_code?: unknown } };
  if (typeof r.country_code === 'string') return r.country_code;
  if (typeof r.country?.iso_code === 'string') return r.country.iso_code;
  return null;
}

export interface GeoLookup {
  /** ISO 3166-1 alpha-2 of an address; a special label (private, cgnat, …); or "unknown". */
  country(ip: string): string;
  /**
   * The same for an IPv4 address already parsed to an unsigned 32-bit integer (see
   * parseIPv4): the enricher parses a source once for every table. Not cached: the caller is.
   */
  countryV4(n: number): string;
}

/** What mmdb-lib's Reader (behind `maxmind.open`) has, for walking its tree by integer. */
interface MmdbReaderInternals {
  walker: { left(offset: number): number; right(offset: number): number };
  metadata: { nodeCount: number; nodeByteSize: number; ipVersion: number };
  ipv4StartNodeNumber: number;
  resolveDataPointer(pointer: number): unknown;
}

function isReader(t: unknown): t is MmdbReaderInternals {
  const r = t as Partial<MmdbReaderInternals>;
  return (
    typeof r.walker?.left === 'function' &&
    typeof r.walker.right === 'function' &&
    typeof r.metadata?.nodeCount === 'number' &&
    typeof r.metadata.nodeByteSize === 'number' &&
    typeof r.ipv4StartNodeNumber === 'number' &&
    typeof r.resolveDataPointer === 'function'
  );
}

/**
 * The record of an IPv4 address (as an integer) from an mmdb reader's search tree, walked
 * bit by bit from the integer (what the reader's own `get` does after parsing the text
 * again); records are decoded once per data pointer (a country database has a few hundred).
 * Null when the table is not an mmdb-lib reader: then `get` with the text is used.
 */
function v4Walker(table: MmdbTable): ((n: number) => unknown) | null {
  if (!isReader(table)) return null;
  const r = table;
  const { nodeCount, nodeByteSize } = r.metadata;
  const start = r.ipv4StartNodeNumber;
  const decoded = new Map<number, unknown>();
  return (n) => {
    let node = start;
    for (let bit = 31; bit >= 0 && node < nodeCount; bit--) {
      const offset = node * nodeByteSize;
      node = (n >>> bit) & 1 ? r.walker.right(offset) : r.walker.left(offset);
    }
    if (node <= nodeCount) return null;
    let rec = decoded.get(node);
    if (rec === undefined) {
      rec = r.resolveDataPointer(node);
      if (decoded.size < 65_536) decoded.set(node, rec);
    }
    return rec;
  };
}

/**
 * Country lookup over a table, with special ranges labelled and a bounded cache so a
 * flood from a few sources costs one database walk per source. Never throws: a malformed
 * address is "unknown".
 */
export function createGeoLookup(table: MmdbTable, cacheSize = 65_536): GeoLookup {
  let cache = new Map<string, string>();
  const walk = v4Walker(table);
  const resolveV4 = (v4: number, ip?: string): string => {
    const special = specialLabelV4(v4);
    if (special) return special;
    try {
      const rec = walk ? walk(v4) : table.get(ip ?? formatIPv4(v4));
      return countryCode(rec) ?? UNKNOWN_KEY;
    } catch {
      return UNKNOWN_KEY;
    }
  };
  const resolve = (ip: string): string => {
    const v4 = parseIPv4(ip);
    if (v4 >= 0) return resolveV4(v4, ip);
    // strict forms only: ipaddr.js would also read "1.2.3" or "010.1.1.1" the classful way
    if (!ipaddr.IPv6.isValid(ip)) return UNKNOWN_KEY;
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      addr = ipaddr.process(ip);
    } catch {
      return UNKNOWN_KEY;
    }
    const special = specialLabel(addr);
    if (special) return special;
    try {
      return countryCode(table.get(addr.toString())) ?? UNKNOWN_KEY;
    } catch {
      return UNKNOWN_KEY;
    }
  };
  return {
    country(ip) {
      let c = cache.get(ip);
      if (c === undefined) {
        c = resolve(ip);
        // a spoofed flood walks the whole space: start afresh rather than grow without bound
        if (cache.size >= cacheSize) cache = new Map();
        cache.set(ip, c);
      }
      return c;
    },
    countryV4: (n) => resolveV4(n),
  };
}
