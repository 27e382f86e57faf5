import { beforeAll, describe, expect, it } from 'vitest';
import { createGeoLookup, type GeoLookup } from './geo.js';
import { formatIPv4, parseIPv4 } from './ipv4.js';
import { openCountryTable } from './load.js';
import { countryName } from './names.js';

describe('GeoIP country lookup over the bundled DB-IP database', () => {
  let geo: GeoLookup;
  beforeAll(async () => {
    geo = createGeoLookup(await openCountryTable(''));
  });

  it.each([
    ['77.88.8.8', 'RU'], // Yandex DNS
    ['8.8.8.8', 'US'], // Google DNS
    ['200.147.67.142', 'BR'], // UOL
    ['85.214.1.1', 'DE'], // Strato
    ['2a02:6b8::1', 'RU'], // Yandex, IPv6
    ['2001:67c:2e8::1', 'NL'], // RIPE NCC, IPv6
    ['2800:3f0:4001::1', 'BR'], // Google Brazil, IPv6
    ['::ffff:77.88.8.8', 'RU'], // IPv4-mapped IPv6
  ])('%s is in %s', (ip, cc) => {
    expect(geo.country(ip)).toBe(cc);
  });

  it.each([
    ['10.1.2.3', 'private'],
    ['192.168.0.1', 'private'],
    ['fd00::1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['100.64.0.1', 'cgnat'],
    ['203.0.113.7', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['224.0.0.5', 'multicast'],
    ['ff02::1', 'multicast'],
    ['169.254.1.1', 'link-local'],
    ['240.0.0.1', 'reserved'],
  ])('%s is labelled %s', (ip, label) => {
    expect(geo.country(ip)).toBe(label);
  });

  it.each(['', 'not an ip', '999.1.1.1', '1.2.3', '010.1.1.1', '::gg', '__proto__'])(
    'malformed %j is unknown, never a crash',
    (ip) => {
      expect(geo.country(ip)).toBe('unknown');
    },
  );

  it('answers repeated lookups from its cache, and stays bounded', () => {
    let walks = 0;
    const small = createGeoLookup({ get: () => (walks++, { country_code: 'FR' }) }, 4);
    for (let i = 0; i < 3; i++) small.country('90.1.1.1');
    expect(walks).toBe(1);
    for (let i = 0; i < 10; i++) small.country(`90.1.1.${i + 2}`);
    small.country('90.1.1.1');
    expect(walks).toBe(12);
  });

  it('walks the tree from an integer exactly as the reader does from the text', async () => {
    const reader = await openCountryTable('');
    // a plain table (not a reader): every lookup goes through the reader's own get(text)
    const byText = createGeoLookup({ get: (ip) => reader.get(ip) }, 0);
    let x = 0x2545f491;
    let known = 0;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + 0x6d2b79f5) >>> 0;
      const want = byText.country(formatIPv4(x));
      expect(geo.countryV4(x)).toBe(want);
      if (want.length === 2) known++;
    }
    // most of the space is allocated to a country: the walk really reached records
    expect(known).toBeGreaterThan(10_000);
    expect(geo.countryV4(parseIPv4('77.88.8.8'))).toBe('RU');
    expect(geo.countryV4(parseIPv4('10.9.8.7'))).toBe('private');
  });

  it('reads MaxMind GeoLite2-shaped records too', () => {
    const mm = createGeoLookup({ get: () => ({ country: { iso_code: 'NL' } }) });
    expect(mm.country('145.1.1.1')).toBe('NL');
  });

  it('names countries and labels in English', () => {
    expect(countryName('RU')).toBe('Russia');
    expect(countryName('BR')).toBe('Brazil');
    expect(countryName('US')).toBe('United States');
    expect(countryName('cgnat')).toBe('Carrier-grade NAT');
    expect(countryName('other')).toBe('Other');
  });
});
