import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { canonicalIpBytes, canonicalIpText, formatIPv6Groups, ipTextToBytes } from './address.js';

/** The reference: ipaddr.js's own canonical text, IPv4-mapped unwrapped to IPv4. */
function reference(text: string): string {
  return ipaddr.process(text).toString();
}

describe('canonicalIpText', () => {
  it('keeps dotted quads and canonicalises IPv6', () => {
    expect(canonicalIpText('5.190.239.206')).toBe('5.190.239.206');
    expect(canonicalIpText('0.0.0.0')).toBe('0.0.0.0');
    expect(canonicalIpText('255.255.255.255')).toBe('255.255.255.255');
    expect(canonicalIpText('fd01::1')).toBe('fd01::1');
    expect(canonicalIpText('FD01:0000:0000:0000:0000:0000:0000:0001')).toBe('fd01::1');
    expect(canonicalIpText('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIpText('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(canonicalIpText('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIpText('::')).toBe('::');
    expect(canonicalIpText('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(canonicalIpText('::ffff:c000:201')).toBe('192.0.2.1');
    expect(canonicalIpText('1:2:3:4:5:6:7::')).toBe('1:2:3:4:5:6:7:0');
    expect(canonicalIpText('::1:2:3:4:5:6:7')).toBe('0:1:2:3:4:5:6:7');
    expect(canonicalIpText('1::2:3')).toBe('1::2:3');
    expect(canonicalIpText('::1.2.3.4')).toBe(reference('::1.2.3.4')); // ipaddr.js's call
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '1.2.3.256',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1.2.3.4/24',
    '0x7f.0.0.1',
    '127.1',
    'fe80::1%eth0',
    'gg::1',
    '1::2::3',
    ':::',
    ':1::2',
    '1::2:',
    '12345::1',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '1:2:3:4::5:6:7:8',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    'localhost',
  ])('refuses %j', (text) => {
    expect(canonicalIpText(text)).toBeUndefined();
  });

  it('agrees with ipaddr.js on any IPv4 or IPv6 text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        expect(canonicalIpText(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with ipaddr.js on near-miss text too (valid or not)', () => {
    const piece = fc.constantFrom('0', '1', 'ab', 'FFFF', '12345', ':', '::', '.', '1.2.3.4', '%0');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        const expected = ipaddr.isValid(text) && !text.includes('%') ? reference(text) : undefined;
        if (text.includes(':') || expected === undefined) {
          expect(canonicalIpText(text)).toBe(expected);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('canonicalIpBytes', () => {
  it('formats 4 and 16 raw bytes like the text path, and refuses other lengths', () => {
    const buf = Uint8Array.from([9, 192, 0, 2, 1, 9]);
    expect(canonicalIpBytes(buf, 1, 4)).toBe('192.0.2.1');
    expect(canonicalIpBytes(buf, 1, 5)).toBeUndefined();
    expect(canonicalIpBytes(buf, 1, 0)).toBeUndefined();
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const bytes = ipTextToBytes(text);
        expect(canonicalIpBytes(bytes, 0, bytes.length)).toBe(reference(text));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatIPv6Groups', () => {
  it('compresses the leftmost longest zero run of at least two groups (RFC 5952)', () => {
    expect(formatIPv6Groups([1, 0, 0, 2, 0, 0, 0, 3])).toBe('1:0:0:2::3');
    expect(formatIPv6Groups([1, 0, 0, 2, 0, 0, 3, 4])).toBe('1::2:0:0:3:4');
    expect(formatIPv6Groups([1, 0, 2, 3, 4, 5, 6, 7])).toBe('1:0:2:3:4:5:6:7');
    expect(formatIPv6Groups([0, 0, 0, 0, 0, 0, 0, 1])).toBe('::1');
    expect(formatIPv6Groups([1, 0, 0, 0, 0, 0, 0, 0])).toBe('1::');
    expect(formatIPv6Groups([0xabcd, 0, 0, 0, 0, 0, 0, 0xef])).toBe('abcd::ef');
  });
});
