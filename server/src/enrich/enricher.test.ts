import type { Flow } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { parseAsnCsv } from './asn.js';
import { createEnricher, emptyKeys } from './enricher.js';
import { formatIPv4 } from './ipv4.js';
import { createPlaces } from './regions.js';

const country = (ip: string): string =>
  ({ '77.88.8.8': 'RU', '200.147.1.1': 'BR', '85.214.1.1': 'DE', '10.0.0.1': 'private' })[ip] ??
  'unknown';
const geo = { country, countryV4: (n: number) => country(formatIPv4(n)) };
const asn = parseAsnCsv('1297612800,1297629183,13238,YANDEX LLC\n', '');

function f(src: string, over: Partial<Flow> = {}): Flow {
  return {
    end: 0,
    start: 0,
    src,
    dst: '203.0.113.10',
    sport: 40000,
    dport: 443,
    proto: 6,
    bytes: 100,
    packets: 1,
    sampling: 1,
    tcpFlags: 2,
    srcAs: 0,
    dstAs: 0,
    exporter: '',
    ...over,
  };
}

describe('places', () => {
  it('maps countries to UN M49 sub-regions and continents, with custom groups first', () => {
    const places = createPlaces([{ name: 'EU', countries: ['DE', 'FR'] }]);
    expect(places('RU')).toEqual({ region: 'Eastern Europe', continent: 'Europe' });
    expect(places('BR')).toEqual({ region: 'South America', continent: 'South America' });
    expect(places('US')).toEqual({ region: 'North America', continent: 'North America' });
    expect(places('CN')).toEqual({ region: 'Eastern Asia', continent: 'Asia' });
    expect(places('DE')).toEqual({ region: 'EU', continent: 'Europe' });
    expect(places('private')).toEqual({ region: 'private', continent: 'private' });
    expect(places('XX')).toEqual({ region: 'Unknown region', continent: 'Unknown continent' });
  });
});

describe('enricher', () => {
  const e = createEnricher({
    geo,
    asn,
    networks: [
      { name: 'campaign-web', cidrs: ['203.0.113.0/24'] },
      { name: 'office', cidrs: ['10.0.0.0/8'] },
    ],
    regionGroups: [],
  });

  it('fills every dimension', () => {
    const k = emptyKeys();
    e.keys(f('77.88.8.8'), k);
    expect(k).toEqual({
      country: 'RU',
      region: 'Eastern Europe',
      continent: 'Europe',
      asn: 'AS13238',
      destination: '203.0.113.10',
      service: 'campaign-web',
      protocol: 'TCP',
      vector: 'tcp-syn',
    });
    expect(e.name('asn', 'AS13238')).toBe('AS13238 YANDEX LLC');
    expect(e.name('country', 'RU')).toBe('Russia');
    expect(e.name('vector', 'udp-amp-dns')).toBe('UDP reflection: DNS (53)');
  });

  it('prefers the exporter AS, names our own networks, and marks the unknown', () => {
    const k = emptyKeys();
    e.keys(f('10.0.0.1', { srcAs: 64512, dst: '198.51.100.1', proto: 17, sport: 53 }), k);
    expect(k).toMatchObject({
      country: 'net:office',
      region: 'Own networks',
      asn: 'AS64512',
      service: 'unlisted',
      protocol: 'UDP',
      vector: 'udp-amp-dns',
    });
    expect(e.name('country', 'net:office')).toBe('office');
    e.keys(f('192.0.2.99'), k);
    expect(k).toMatchObject({ country: 'unknown', asn: 'unknown' });
  });
});
