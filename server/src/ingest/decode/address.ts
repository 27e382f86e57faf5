import ipaddr from 'ipaddr.js';

// Canonical address text for every decoder, so that the same address from pmacct, goflow2
// JSON and goflow2 protobuf becomes the same string (aggregation keys compare strings):
// IPv4 as a plain dotted quad, IPv6 as RFC 5952 compressed text, IPv4-mapped IPv6 as IPv4.

/** True when `text` is a strict dotted quad: four decimal octets 0–255, no leading zeros. */
function isDottedQuad(text: string): boolean {
  const n = text.length;
  if (n < 7 || n > 15) return false;
  let dots = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return false;
      digits = 0;
      octet = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return false;
    if (digits === 1 && octet === 0) return false; // "01": octal to inet_aton, so refuse
    octet = octet * 10 + d;
    if (octet > 255) return false;
    digits++;
  }
  return dots === 3 && digits > 0;
}

/**
 * Formats eight 16-bit groups as canonical text: IPv4 for IPv4-mapped (::ffff:a.b.c.d),
 * otherwise RFC 5952 (lower-case hex, the leftmost longest run of ≥ 2 zero groups as `::`).
 */
export function formatIPv6Groups(g: ArrayLike<number>): string {
  const g5 = g[5] ?? 0;
  const g6 = g[6] ?? 0;
  const g7 = g[7] ?? 0;
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g5 === 0xffff) {
    return `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (g[i] === 0) {
      if (runStart < 0) runStart = i;
      if (i - runStart + 1 > bestLen) {
        bestStart = runStart;
        bestLen = i - runStart + 1;
      }
    } else {
      runStart = -1;
    }
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(':')) out += ':';
    out += (g[i] ?? 0).toString(16);
  }
  return out;
}

const groups = new Uint16Array(8);

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * The fast path for IPv6 text made only of hex groups and at most one `::`: fills `groups`
 * and returns true. Returns false for anything else — embedded IPv4, zone ids, mistakes —
 * which ipaddr.js then judges (ipaddr.js parses with regular expressions, several µs each).
 */
function parsePlainIPv6(text: string): boolean {
  const n = text.length;
  if (n < 2 || n > 39) return false;
  let count = 0;
  let gapAt = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false;
    gapAt = 0;
    i = 2;
  }
  while (i < n) {
    let value = 0;
    const first = i;
    for (let h = hexValue(text.charCodeAt(i)); h >= 0; h = hexValue(text.charCodeAt(i))) {
      value = value * 16 + h;
      if (++i - first > 4) return false;
    }
    if (i === first || count === 8) return false;
    groups[count++] = value;
    if (i === n) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (text.charCodeAt(i) === 58) {
      if (gapAt >= 0) return false;
      gapAt = count;
      i++;
    } else if (i === n) {
      return false; // a single trailing ':'
    }
  }
  if (gapAt < 0) return count === 8;
  if (count > 7) return false; // '::' stands for at least one group
  const tail = count - gapAt;
  for (let k = 1; k <= tail; k++) groups[8 - k] = groups[count - k] ?? 0;
  groups.fill(0, gapAt, 8 - tail);
  return true;
}

/**
 * Validates an address written as text and returns its canonical form, or `undefined` when
 * it is not a plain IPv4/IPv6 address (zone ids, CIDR suffixes and surrounding blanks are
 * refused too).
 */
export function canonicalIpText(text: string): string | undefined {
  if (isDottedQuad(text)) return text; // already canonical: the common case costs no allocation
  if (text.indexOf(':') < 0 || text.indexOf('%') >= 0) return undefined;
  if (parsePlainIPv6(text)) return formatIPv6Groups(groups);
  let parts: number[];
  try {
    parts = ipaddr.IPv6.parse(text).parts;
  } catch {
    return undefined;
  }
  return formatIPv6Groups(parts);
}

/**
 * Formats a raw address (`len` bytes of `buf` from `offset`, network order) as canonical
 * text; `undefined` unless `len` is 4 or 16.
 */
export function canonicalIpBytes(buf: Uint8Array, offset: number, len: number): string | undefined {
  if (len === 4) {
    return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
  }
  if (len !== 16) return undefined;
  for (let i = 0; i < 8; i++) {
    groups[i] = ((buf[offset + 2 * i] ?? 0) << 8) | (buf[offset + 2 * i + 1] ?? 0);
  }
  return formatIPv6Groups(groups);
}

/**
 * The raw bytes (4 or 16, network order) of an address in canonical text form; for
 * encoders, not the hot path. Throws on text that is not an address.
 */
export function ipTextToBytes(text: string): Uint8Array {
  return Uint8Array.from(ipaddr.parse(text).toByteArray());
}
