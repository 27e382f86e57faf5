import { beforeAll, describe, expect, it } from 'vitest';
import { parseAsnCsv, type AsnTable } from './asn.js';
import { parseIPv4 } from './ipv4.js';
import { openAsnTable } from './load.js';

describe('ASN table', () => {
  it('finds ranges by binary search and interns quoted names', () => {
    const t = parseAsnCsv(
      '16777216,16777471,13335,"Cloudflare, Inc."\n16778240,16779263,38803,Gtelecom Pty Ltd\n',
      '42540488161975842760550356425300246528,42540488241204005274814694018844196863,6939,Hurricane Electric LLC\n',
    );
    expect(t.size).toBe(3);
    expect(t.lookup('1.0.0.1')).toBe(13335);
    expect(t.name(13335)).toBe('Cloudflare, Inc.');
    expect(t.lookup('1.0.1.1')).toBe(0); // a gap between ranges
    expect(t.lookup('1.0.4.9')).toBe(38803);
    expect(t.lookup('2001:0:5ef5::1')).toBe(6939); // 2001::/32, by its upper 64 bits
    expect(t.lookup('0.0.0.1')).toBe(0);
    expect(t.lookup('garbage')).toBe(0);
    // the integer path a parsed source takes finds the same
    expect(t.lookupV4(parseIPv4('1.0.0.1'))).toBe(13335);
    expect(t.lookupV4(parseIPv4('1.0.1.1'))).toBe(0);
    expect(t.lookupV4(parseIPv4('1.0.4.9'))).toBe(38803);
  });

  describe('the bundled ip-location-db data', () => {
    let t: AsnTable;
    beforeAll(async () => {
      t = await openAsnTable('');
    });

    it.each([
      ['77.88.8.8', 13238], // Yandex
      ['8.8.8.8', 15169], // Google
      ['1.1.1.1', 13335], // Cloudflare
      ['2a02:6b8::1', 13238], // Yandex, IPv6
      ['::ffff:8.8.8.8', 15169], // IPv4-mapped
    ])('%s is in AS%i', (ip, asn) => {
      expect(t.lookup(ip)).toBe(asn);
    });

    it('names the networks', () => {
      expect(t.name(15169)).toMatch(/google/i);
      expect(t.name(13238)).toMatch(/yandex/i);
      expect(t.size).toBeGreaterThan(300_000);
    });

    it('has no AS for private or malformed addresses', () => {
      expect(t.lookup('10.0.0.1')).toBe(0);
      expect(t.lookup('not-an-ip')).toBe(0);
    });
  });
});
