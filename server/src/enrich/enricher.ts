import type { Dimension, Flow } from '@surgewatch/shared';
import type { FlowKeys } from '../flow.js';
import type { AsnTable } from './asn.js';
import type { GeoLookup } from './geo.js';
import { countryName } from './names.js';
import { parseIPv4 } from './ipv4.js';
import { createNetworkMatcher, type NamedNetwork } from './networks.js';
import { createPlaces, type RegionGroup } from './regions.js';
import { classifyVector, protocolName, VECTOR_NAMES } from './vector.js';

export interface EnricherTables {
  geo: GeoLookup;
  asn: AsnTable;
  networks: readonly NamedNetwork[];
  regionGroups: readonly RegionGroup[];
}

export interface Enricher {
  /** Fills `out` with the keys of `flow` in every dimension (reuses `out`: no allocation). */
  keys(flow: Flow, out: FlowKeys): void;
  /** Display name of a key in a dimension. */
  name(dim: Dimension, key: string): string;
  /** The configured network holding `ip`, or null; `hasNetworks` false when none is configured. */
  network?(ip: string): string | null;
  readonly hasNetworks?: boolean;
}

/** What enrichment knows about a source address, cached per address. */
interface SourceInfo {
  country: string;
  region: string;
  continent: string;
  asn: string;
}

/** Source addresses remembered; a flood of spoofed sources starts the cache afresh. */
const SOURCE_CACHE = 131_072;

/** Key prefix of sources inside our own configured networks. */
const OWN = 'net:';
/** Service key of destinations outside every configured network. */
export const UNLISTED = 'unlisted';

/** Creates FlowKeys with every field empty, to be filled by `Enricher.keys`. */
export function emptyKeys(): FlowKeys {
  return {
    country: '',
    region: '',
    continent: '',
    asn: '',
    destination: '',
    service: '',
    protocol: '',
    vector: 'other',
  };
}

/**
 * Turns a flow into its keys in every dimension: source country, region and continent
 * (own networks and custom region groups first, then the GeoIP database), source AS (the
 * exporter's srcAs when it knows it, else the ASN table), destination address and service,
 * protocol and attack vector. Pure given its tables.
 */
export function createEnricher(t: EnricherTables): Enricher {
  const own = createNetworkMatcher(t.networks);
  const places = createPlaces(t.regionGroups);
  const asnNames = new Map<string, string>();
  const asKeys = new Map<number, string>();
  const asKey = (asn: number): string => {
    let k = asKeys.get(asn);
    if (k === undefined) {
      k = `AS${asn}`;
      if (asKeys.size < 200_000) asKeys.set(asn, k);
    }
    return k;
  };
  const describe = (ip: string): SourceInfo => {
    const mine = own(ip);
    // an IPv4 source is parsed once for both tables (most of a flood's cost is cache misses)
    const v4 = parseIPv4(ip);
    const asn = v4 >= 0 ? t.asn.lookupV4(v4) : t.asn.lookup(ip);
    const asnKey = asn > 0 ? asKey(asn) : 'unknown';
    if (mine !== null)
      return {
        country: OWN + mine,
        region: 'Own networks',
        continent: 'Own networks',
        asn: asnKey,
      };
    const country = v4 >= 0 ? t.geo.countryV4(v4) : t.geo.country(ip);
    const p = places(country);
    return { country, region: p.region, continent: p.continent, asn: asnKey };
  };
  const sources = new Map<string, SourceInfo>();
  return {
    network: own,
    hasNetworks: t.networks.length > 0,
    keys(flow, out) {
      // one cache walk per source address for everything known about it
      let s = sources.get(flow.src);
      if (s === undefined) {
        s = describe(flow.src);
        if (sources.size >= SOURCE_CACHE) sources.clear();
        sources.set(flow.src, s);
      }
      out.country = s.country;
      out.region = s.region;
      out.continent = s.continent;
      out.asn = flow.srcAs > 0 ? asKey(flow.srcAs) : s.asn;
      out.destination = flow.dst;
      out.service = own(flow.dst) ?? UNLISTED;
      out.protocol = protocolName(flow.proto);
      out.vector = classifyVector(flow.proto, flow.sport, flow.dport, flow.tcpFlags);
    },
    name(dim, key) {
      switch (dim) {
        case 'country':
          return key.startsWith(OWN) ? key.slice(OWN.length) : countryName(key);
        case 'asn': {
          let n = asnNames.get(key);
          if (n === undefined) {
            const num = Number(key.slice(2));
            const org = Number.isFinite(num) ? t.asn.name(num) : '';
            n = org ? `${key} ${org}` : key === 'unknown' ? 'Unknown AS' : key;
            asnNames.set(key, n);
          }
          return n;
        }
        case 'vector':
          return VECTOR_NAMES[key as keyof typeof VECTOR_NAMES] ?? key;
        case 'service':
          return key === UNLISTED ? 'Not a configured service' : key;
        default:
          return key === 'other' ? 'Other' : key;
      }
    },
  };
}
