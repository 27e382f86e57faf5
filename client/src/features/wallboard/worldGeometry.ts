import type { ExtendedFeature, ExtendedFeatureCollection } from 'd3-geo';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import atlas from 'world-atlas/countries-110m.json';
import { ALPHA2_BY_NUMERIC } from './isoNumeric.js';

/** The map's own coordinate space (SVG viewBox); the SVG scales it to its panel. */
export const MAP_WIDTH = 1000;
export const MAP_HEIGHT = 470;

export interface CountryShape {
  /** ISO alpha-2, or "" for the few atlas shapes without an ISO code. */
  key: string;
  d: string;
  /** Where its label goes: the centre of its largest polygon (France, not French Guiana). */
  anchor: [number, number];
}

type Position = [number, number];
type Geometry =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };
interface CountryFeature {
  type: 'Feature';
  id?: string | number;
  properties: { name: string };
  geometry: Geometry;
}

// The GeoJSON / TopoJSON spec types are transitive packages we do not depend on: the few
// shapes used here are spelt out above, and the library calls are typed through them.
const toFeatures = feature as unknown as (
  topology: unknown,
  object: unknown,
) => { features: CountryFeature[] };
const asGeo = (f: CountryFeature) => f as unknown as ExtendedFeature;

let cached: CountryShape[] | null = null;

/**
 * Country outlines projected once (Equal Earth, Antarctica left out: no traffic comes from
 * there and it would take a fifth of the height).
 */
export function countryShapes(): CountryShape[] {
  if (cached) return cached;
  const all = toFeatures(atlas, atlas.objects.countries).features;
  const shown = all.filter((f) => f.id !== '010');
  const projection = geoEqualEarth().fitExtent(
    [
      [4, 4],
      [MAP_WIDTH - 4, MAP_HEIGHT - 4],
    ],
    { type: 'FeatureCollection', features: shown.map(asGeo) } as ExtendedFeatureCollection,
  );
  const path = geoPath(projection);
  cached = shown.map((f) => {
    const key = ALPHA2_BY_NUMERIC.get(String(f.id ?? '')) ?? '';
    const main = largestPart(f, (part) => path.area(asGeo(part)));
    return { key, d: path(asGeo(f)) ?? '', anchor: path.centroid(asGeo(main)) };
  });
  return cached;
}

function largestPart(f: CountryFeature, area: (f: CountryFeature) => number): CountryFeature {
  const polygons =
    f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  let best: CountryFeature = f;
  let bestArea = -1;
  for (const coordinates of polygons) {
    const part: CountryFeature = {
      type: 'Feature',
      properties: f.properties,
      geometry: { type: 'Polygon', coordinates },
    };
    const a = area(part);
    if (a > bestArea) {
      best = part;
      bestArea = a;
    }
  }
  return best;
}
