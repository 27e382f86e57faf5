import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asnTable,
  decodeAsnData,
  encodeAsnData,
  parseAsnCsv,
  parseAsnData,
  type AsnTable,
} from './asn.js';
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

  it('its binary form reads back to the same table, and refuses anything else', () => {
    const data = parseAsnData(
      '16777216,16777471,13335,"Cloudflare, Inc."\n16778240,16779263,38803,Gtelecom Pty Ltd\n',
      '42540488161975842760550356425300246528,42540488241204005274814694018844196863,6939,Hurricane Electric LLC\n',
    );
    const bytes = encodeAsnData(data);
    // at an odd offset, as a Buffer slice can be: the arrays are copied out aligned
    const shifted = Buffer.concat([Buffer.from([0]), bytes]).subarray(1);
    const back = decodeAsnData(shifted);
    expect(back).toEqual(data);
    const t = asnTable(back);
    expect(t.lookup('1.0.0.1')).toBe(13335);
    expect(t.name(13335)).toBe('Cloudflare, Inc.');
    expect(t.lookup('2001:0:5ef5::1')).toBe(6939);
    expect(() => decodeAsnData(Buffer.from('16777216,16777471,13335,x\n'))).toThrow(
      /not a surgewatch/,
    );
    expect(() => decodeAsnData(bytes.subarray(0, bytes.length - 1))).toThrow(/wrong length/);
  });

  it('parses the bundled CSV once, then starts from its cache; a damaged cache is parsed again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'surgewatch-asn-cache-'));
    try {
      const parsed = await openAsnTable('', { cacheDir: dir });
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^asn-[0-9a-f]{16}\.bin$/);
      const file = join(dir, files[0] as string);
      expect(decodeAsnData(readFileSync(file)).names.get(13238)).toBe(parsed.name(13238));
      // the next start reads the cache, not the CSV: a cache of one range proves it
      writeFileSync(
        file,
        encodeAsnData(parseAsnData('16777216,16777471,13335,"Cloudflare, Inc."\n', '')),
      );
      const cached = await openAsnTable('', { cacheDir: dir });
      expect(cached.size).toBe(1);
      expect(cached.lookup('1.0.0.1')).toBe(13335);
      expect(cached.lookup('8.8.8.8')).toBe(0);
      // a damaged cache: parsed again, and the cache written anew
      writeFileSync(file, 'garbage');
      const again = await openAsnTable('', { cacheDir: dir });
      expect(again.size).toBe(parsed.size);
      expect(again.lookup('8.8.8.8')).toBe(15169);
      expect(decodeAsnData(readFileSync(file)).v4.start.length).toBeGreaterThan(100_000);
      expect(readdirSync(dir)).toEqual(files); // no temporary file left behind
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

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
