import { UNKNOWN_KEY } from '@surgewatch/shared';
import ipaddr from 'ipaddr.js';
import { parseIPv4, specialLabelV4 } from './ipv4.js';
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
}

/**
 * Country lookup over a table, with special ranges labelled and a bounded cache so a
 * flood from a few sources costs one database walk per source. Never throws: a malformed
 * address is "unknown".
 */
export function createGeoLookup(table: MmdbTable, cacheSize = 65_536): GeoLookup {
  let cache = new Map<string, string>();
  const resolve = (ip: string): string => {
    const v4 = parseIPv4(ip);
    if (v4 >= 0) {
      const special = specialLabelV4(v4);
      if (special) return special;
      try {
        return countryCode(table.get(ip)) ?? UNKNOWN_KEY;
      } catch {
        return UNKNOWN_KEY;
      }
    }
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
  };
}
