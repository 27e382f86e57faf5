import type { Countries } from 'world-countries';
import data from 'world-countries/countries.json' with { type: 'json' };

const countries = data as unknown as Countries;

/** Where a country lies: UN M49 sub-region and continent, English names. */
export interface Place {
  region: string;
  continent: string;
}

const UNPLACED: Place = { region: 'Unknown region', continent: 'Unknown continent' };

/** Continent names as analysts use them; the data calls the Americas one region. */
function continentOf(region: string, subregion: string): string {
  if (region === 'Americas')
    return subregion === 'South America' ? 'South America' : 'North America';
  if (region === 'Antarctic') return 'Antarctica';
  return region;
}

const byCode = new Map<string, Place>(
  countries.map((c) => [
    c.cca2,
    { region: c.subregion || c.region, continent: continentOf(c.region, c.subregion) },
  ]),
);

/** A custom grouping of countries that overrides the database's sub-region (e.g. "EU", "Five Eyes"). */
export interface RegionGroup {
  name: string;
  countries: readonly string[];
}

/**
 * Sub-region and continent of an ISO 3166-1 alpha-2 code, from the world-countries data
 * (UN M49 sub-regions); custom groups take precedence for the region. Labels such as
 * "private" map to themselves so they stay visible in every grouping.
 */
export function createPlaces(groups: readonly RegionGroup[]): (country: string) => Place {
  const custom = new Map<string, string>();
  for (const g of groups) for (const cc of g.countries) if (!custom.has(cc)) custom.set(cc, g.name);
  const cache = new Map<string, Place>();
  return (country) => {
    let p = cache.get(country);
    if (p) return p;
    const base = byCode.get(country);
    if (base) p = { region: custom.get(country) ?? base.region, continent: base.continent };
    else if (country.length === 2) p = UNPLACED;
    else p = { region: country, continent: country };
    cache.set(country, p);
    return p;
  };
}
