/**
 * Parses a strict dotted-quad IPv4 address ("192.0.2.1": four decimal octets, no leading
 * zeros) into an unsigned 32-bit integer, or -1. Hand-written because it runs for every flow
 * and a general parser costs several times the lookup it feeds.
 */
export function parseIPv4(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
      if (dots > 3) return -1;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** The dotted quad of an unsigned 32-bit integer (the inverse of parseIPv4). */
export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const within = (a: number, base: number, bits: number): boolean =>
  a >>> (32 - bits) === base >>> (32 - bits);

/** IPv4 a.b.c.d as an integer, for the table below. */
const ip = (a: number, b: number, c: number, d: number): number =>
  ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** The special-purpose label of an IPv4 address (as an integer), or null for ordinary unicast. */
export function specialLabelV4(a: number): string | null {
  const first = a >>> 24;
  if (first === 10 || within(a, ip(172, 16, 0, 0), 12) || within(a, ip(192, 168, 0, 0), 16))
    return 'private';
  if (first === 127) return 'loopback';
  if (within(a, ip(100, 64, 0, 0), 10)) return 'cgnat';
  if (within(a, ip(169, 254, 0, 0), 16)) return 'link-local';
  if (first >= 224 && first < 240) return 'multicast';
  if (
    within(a, ip(192, 0, 2, 0), 24) ||
    within(a, ip(198, 51, 100, 0), 24) ||
    within(a, ip(203, 0, 113, 0), 24)
  ) {
    return 'documentation';
  }
  if (
    first === 0 ||
    first >= 240 ||
    within(a, ip(192, 0, 0, 0), 24) ||
    within(a, ip(198, 18, 0, 0), 15) ||
    within(a, ip(192, 88, 99, 0), 24)
  ) {
    return 'reserved';
  }
  return null;
}
