export { parseAsnCsv, type AsnTable } from './asn.js';
export {
  createEnricher,
  emptyKeys,
  UNLISTED,
  type Enricher,
  type EnricherTables,
} from './enricher.js';
export { createGeoLookup, type GeoLookup, type MmdbTable } from './geo.js';
export { bundledCountryDb, openAsnTable, openCountryTable } from './load.js';
export { countryName } from './names.js';
export { createNetworkMatcher, type NamedNetwork } from './networks.js';
export { createPlaces, type RegionGroup } from './regions.js';
export { specialLabel, SPECIAL_NAMES } from './special.js';
export { classifyVector, protocolName, VECTOR_NAMES } from './vector.js';
