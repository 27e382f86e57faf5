import { beforeAll, describe, expect, it } from 'vitest';
import { createGeoLookup, openCountryTable, type GeoLookup } from '../../enrich/index.js';
import { COUNTRY_PREFIXES, ipv4Text, parseBlock } from './prefixes.js';

describe('demo address blocks', () => {
  let geo: GeoLookup;
  beforeAll(async () => {
    geo = createGeoLookup(await openCountryTable(''));
  });

  // the demo must show the countries it intends, per the real database
  it.each(
    Object.entries(COUNTRY_PREFIXES).flatMap(([cc, list]) => list.map((c) => [c, cc] as const)),
  )('%s lies wholly in %s', (cidr, cc) => {
    const b = parseBlock(cidr);
    const wrong: string[] = [];
    // three hosts of every /24 in the block
    for (let o = 0; o < b.size; o += 256) {
      for (const k of [1, 128, 254]) {
        const ip = ipv4Text((b.base + o + k) >>> 0);
        if (geo.country(ip) !== cc) wrong.push(`${ip}→${geo.country(ip)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
