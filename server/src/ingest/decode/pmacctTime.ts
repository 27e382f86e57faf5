// pmacct timestamps (compose_timestamp in src/util.c), parsed with integer string math so
// that "1795699480.999999" is 1795699480999 ms, never a float product that crosses a second.
//   timestamps_since_epoch: "1795699480.000000" (or "1795699480" with timestamps_secs)
//   otherwise:              "2026-11-27 10:04:40.000000" (UTC with timestamps_utc, which we
//                           assume: the text carries no zone), "0000-00-00 00:00:00" for zero
//   timestamps_rfc3339:     "2026-11-27T10:04:40.000000Z" or with a "+01:00" offset

const NaNValue = Number.NaN;

/** Reads `count` decimal digits of `s` at `at`; -1 if any is not a digit. */
function digitsAt(s: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Milliseconds in a fraction of a second written as digits from `at` to `end` (floored). */
function fractionMs(s: string, at: number, end: number): number {
  let ms = 0;
  for (let i = at; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    if (i < at + 3) ms += d * (i === at ? 100 : i === at + 1 ? 10 : 1);
  }
  return end > at ? ms : -1;
}

function parseEpoch(s: string): number {
  const n = s.length;
  let i = 0;
  let sec = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    sec = sec * 10 + d;
  }
  if (i === 0 || i > 12) return NaNValue;
  if (i === n) return sec * 1000;
  if (s.charCodeAt(i) !== 46) return NaNValue; // '.'
  const ms = fractionMs(s, i + 1, n);
  return ms < 0 ? NaNValue : sec * 1000 + ms;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function parseDateTime(s: string): number {
  // YYYY-MM-DD?HH:MM:SS at fixed positions
  const sep = s.charCodeAt(10);
  if (
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    (sep !== 32 && sep !== 84) ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  ) {
    return NaNValue;
  }
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (year === 0 && month === 0 && day === 0) return 0; // pmacct's rendering of time zero
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return NaNValue;
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return NaNValue;
  }
  const n = s.length;
  let i = 19;
  let ms = 0;
  if (i < n && s.charCodeAt(i) === 46) {
    let end = i + 1;
    while (end < n && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
    ms = fractionMs(s, i + 1, end);
    if (ms < 0) return NaNValue;
    i = end;
  }
  let offsetMin = 0;
  if (i < n) {
    const c = s.charCodeAt(i);
    if (c === 90 && i + 1 === n) {
      offsetMin = 0; // 'Z'
    } else if ((c === 43 || c === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
      const oh = digitsAt(s, i + 1, 2);
      const om = digitsAt(s, i + 4, 2);
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaNValue;
      offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
    } else {
      return NaNValue;
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) + ms - offsetMin * 60_000;
}

/**
 * Parses a pmacct timestamp string into ms epoch (sub-ms digits floored). Returns 0 for
 * pmacct's "time zero" (no timestamp) and NaN for anything malformed.
 */
export function parsePmacctTime(s: string): number {
  if (s.length >= 19 && s.charCodeAt(4) === 45) return parseDateTime(s);
  return parseEpoch(s);
}

/** Formats ms epoch as pmacct does with `timestamps_since_epoch`: "<seconds>.<6-digit µs>". */
export function formatPmacctEpoch(ms: number): string {
  const sec = Math.floor(ms / 1000);
  const frac = ms - sec * 1000;
  return `${sec}.${String(frac * 1000).padStart(6, '0')}`;
}
