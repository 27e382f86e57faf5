export { createGeoLookup, type GeoLookup, type MmdbTable } from './geo.js';
export { countryName } from './names.js';
export { bundledCountryDb, openCountryTable } from './load.js';
export { specialLabel, SPECIAL_NAMES } from './special.js';
