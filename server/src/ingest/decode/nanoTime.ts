// Nanosecond epoch times (goflow2 `time_*_ns`) to exact milliseconds. Today's epoch in ns is
// about 1.7e18, beyond 2^53: a double cannot hold it, so JSON.parse rounds it (to a multiple
// of 256 ns) and 1716197395000000000 can come back as …4999999744, one second early once
// floored to ms. These helpers never round through a double.

/**
 * Returns the raw digits of the JSON integer that follows `"key":` in `json` (whitespace
 * allowed around the colon) and parses to exactly `parsed` (the double JSON.parse gave for
 * that key), or `undefined` when there is no such occurrence. Checking against `parsed`
 * skips look-alikes: the key's text inside another key's escaped text, or an earlier
 * duplicate key that JSON.parse overrode. `quotedKey` includes the double quotes.
 */
export function rawDigitsAfterKey(
  json: string,
  quotedKey: string,
  parsed: number,
): string | undefined {
  const n = json.length;
  for (let at = json.indexOf(quotedKey); at >= 0; at = json.indexOf(quotedKey, at + 1)) {
    let i = at + quotedKey.length;
    while (i < n && isBlank(json.charCodeAt(i))) i++;
    if (json.charCodeAt(i) !== 58) continue; // ':'
    i++;
    while (i < n && isBlank(json.charCodeAt(i))) i++;
    const first = i;
    while (i < n) {
      const d = json.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      i++;
    }
    if (i === first) continue;
    const next = i < n ? json.charCodeAt(i) : 44;
    if (next === 46 || next === 101 || next === 69) continue; // fraction or exponent
    const digits = json.slice(first, i);
    if (Number(digits) === parsed) return digits;
  }
  return undefined;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * How far (ns) the remainder computed from a parsed ns epoch may be from the true one, with
 * room to spare: below 2^62 JSON.parse is off by at most 256 ns (half of 512, the spacing of
 * doubles there), and ms × 1e6 by at most as much again.
 */
const NS_MARGIN = 4_096;

/**
 * floor(ns / 1e6) from the double JSON.parse made of a ns epoch beyond 2^53, when that is
 * exact: whenever the value lies more than NS_MARGIN from a millisecond boundary, which
 * rounding cannot cross. `undefined` otherwise (0.8 % of values): read the raw digits then.
 */
export function nsDoubleToMs(v: number): number | undefined {
  if (!(v < 2 ** 62)) return undefined;
  const ms = Math.floor(v / 1e6);
  const rest = v - ms * 1e6;
  return rest >= NS_MARGIN && rest <= 1e6 - NS_MARGIN ? ms : undefined;
}

/** floor(ns / 1e6) for a non-negative decimal digit string of nanoseconds: exact ms. */
export function nsDigitsToMs(digits: string): number {
  return digits.length <= 6 ? 0 : Number(digits.slice(0, digits.length - 6));
}

/**
 * floor(ns / 1e6) for an unsigned 64-bit nanosecond count given as its high and low 32-bit
 * halves: exact ms, with no BigInt. hi·2^32 = hi·4294·10^6 + hi·967296, and every partial
 * result stays below 2^53.
 */
export function nsHiLoToMs(hi: number, lo: number): number {
  const rest = hi * 967296 + lo;
  return hi * 4294 + (rest - (rest % 1e6)) / 1e6; // integer division, exact below 2^53
}
