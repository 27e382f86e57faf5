/**
 * Number and time formatting for the live views. Pure: no clock, no locale from the browser
 * (digits are the same on every wall screen), so every string on screen is unit-tested.
 */

const SI_PREFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'] as const;

/** A formatted quantity split so the number can be drawn larger than its unit. */
export interface Quantity {
  value: string;
  unit: string;
}

/**
 * Scales `n` to an SI prefix (powers of 1000) with three significant digits:
 * 4.21, 42.1, 421. Non-finite and negative values are shown as 0.
 */
export function siParts(n: number): { value: string; prefix: string } {
  let x = Number.isFinite(n) && n > 0 ? n : 0;
  let i = 0;
  // Round first so 999.6 k becomes 1.00 M rather than "1000 k".
  while (i < SI_PREFIXES.length - 1 && roundSig(x) >= 1000) {
    x /= 1000;
    i++;
  }
  // Choose the decimals from the rounded value, so 9.996 prints as "10.0", not "10.00".
  const r = roundSig(x);
  const value = r === 0 ? '0' : r < 10 ? r.toFixed(2) : r < 100 ? r.toFixed(1) : r.toFixed(0);
  return { value, prefix: SI_PREFIXES[i] ?? '' };
}

function roundSig(x: number): number {
  if (x < 10) return Math.round(x * 100) / 100;
  if (x < 100) return Math.round(x * 10) / 10;
  return Math.round(x);
}

/** Bits per second → { value: "4.21", unit: "Gb/s" }. */
export function bitRateParts(bps: number): Quantity {
  const { value, prefix } = siParts(bps);
  return { value, unit: `${prefix}b/s` };
}

/** Bits per second → "4.21 Gb/s". */
export function formatBitRate(bps: number): string {
  return join(bitRateParts(bps));
}

/** Bits per second for axis labels: trailing zeros dropped, "80 Gb/s", "2.5 Gb/s". */
export function formatBitRateTick(bps: number): string {
  const { value, unit } = bitRateParts(bps);
  return `${value.includes('.') ? value.replace(/\.?0+$/, '') : value} ${unit}`;
}

/** Packets per second → { value: "1.20", unit: "Mpps" }. */
export function packetRateParts(pps: number): Quantity {
  const { value, prefix } = siParts(pps);
  return { value, unit: `${prefix}pps` };
}

/** Packets per second → "1.20 Mpps". */
export function formatPacketRate(pps: number): string {
  return join(packetRateParts(pps));
}

/** Flow records per second → { value: "12.3k", unit: "flows/s" }. */
export function flowRateParts(fps: number): Quantity {
  return { value: formatCount(fps), unit: 'flows/s' };
}

/** Flow records per second → "12.3k flows/s". */
export function formatFlowRate(fps: number): string {
  return join(flowRateParts(fps));
}

/** A count with an SI suffix and no unit: 950, 12.3k, 4.50M. Values under 1000 are whole. */
export function formatCount(n: number): string {
  const x = Number.isFinite(n) && n > 0 ? n : 0;
  if (Math.round(x) < 1000) return String(Math.round(x));
  const { value, prefix } = siParts(x);
  return `${value}${prefix}`;
}

/** A whole number with thousands separators: 1,234,567. */
export function formatInteger(n: number): string {
  const x = Number.isFinite(n) ? Math.round(n) : 0;
  return x.toLocaleString('en-US');
}

/**
 * A duration in ms for humans, coarsening as it grows:
 * "0.4 s", "12 s", "4 min 05 s", "2 h 03 min", "3 d 04 h". Negative values (clock skew) → "0.0 s".
 */
export function formatDuration(ms: number): string {
  const x = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (x < 10_000) return `${(x / 1000).toFixed(1)} s`;
  const s = Math.floor(x / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${pad2(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${pad2(m % 60)} min`;
  return `${Math.floor(h / 24)} d ${pad2(h % 24)} h`;
}

/** A share in [0, 1] → "42.1%". */
export function formatShare(share: number): string {
  const x = Number.isFinite(share) ? Math.min(Math.max(share, 0), 1) : 0;
  return `${(x * 100).toFixed(1)}%`;
}

/**
 * A relative change (0.12 = +12%) with a real minus sign; null (no baseline) → "–".
 * Changes beyond ±999% are capped so the text keeps its width.
 */
export function formatChange(change: number | null): string {
  if (change === null || !Number.isFinite(change)) return '–';
  const pct = Math.round(change * 100);
  if (pct === 0) return '±0%';
  const capped = Math.min(Math.abs(pct), 999);
  const more = Math.abs(pct) > 999 ? '>' : '';
  return `${more}${pct > 0 ? '+' : '\u2212'}${capped}%`;
}

/** Time of day "14:03:27" in `timeZone` (an IANA name; undefined = the browser's zone). */
export function formatClock(ms: number, timeZone?: string): string {
  return clockFormat(timeZone).format(ms);
}

/** Calendar date "Sun 29 Nov 2026" in `timeZone`. */
export function formatDate(ms: number, timeZone?: string): string {
  return dateFormat(timeZone).format(ms).replace(/,/g, '');
}

/** Axis label "14:03" (or "14:03:20" when `seconds`) in `timeZone`. */
export function formatAxisTime(ms: number, timeZone?: string, seconds = false): string {
  return (seconds ? clockFormat(timeZone) : minuteFormat(timeZone)).format(ms);
}

function join(q: Quantity): string {
  return `${q.value} ${q.unit}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

// Intl formatters are costly to build; the clocks format twice a second forever.
const cache = new Map<string, Intl.DateTimeFormat>();

function cached(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

function clockFormat(timeZone?: string): Intl.DateTimeFormat {
  return cached(
    `clock:${timeZone ?? ''}`,
    () =>
      new Intl.DateTimeFormat('en-GB', {
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZone,
      }),
  );
}

function minuteFormat(timeZone?: string): Intl.DateTimeFormat {
  return cached(
    `minute:${timeZone ?? ''}`,
    () =>
      new Intl.DateTimeFormat('en-GB', {
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone,
      }),
  );
}

function dateFormat(timeZone?: string): Intl.DateTimeFormat {
  return cached(
    `date:${timeZone ?? ''}`,
    () =>
      new Intl.DateTimeFormat('en-GB', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone,
      }),
  );
}
