import type { Alert, GroupStat, Severity } from '@surgewatch/shared';
import { OTHER_KEY, UNKNOWN_KEY } from '@surgewatch/shared';

/**
 * Traffic classes of the map, by share of the total bits/s: few, named steps read better
 * across a room than a continuous ramp, and the legend can say what each means. One blue
 * hue growing lighter, so it is safe for every colour vision and never looks like an alert.
 */
export const TRAFFIC_CLASSES = [
  { min: 0.2, label: '≥ 20 %', colour: '#d4ebff' },
  { min: 0.05, label: '5–20 %', colour: '#77aadd' },
  { min: 0.01, label: '1–5 %', colour: '#41709f' },
  { min: 0, label: '< 1 %', colour: '#2b4866' },
] as const;

/** Land with no traffic in the second. */
export const NO_TRAFFIC_COLOUR = '#1b2632';

/** Index into TRAFFIC_CLASSES for a share of the total (0..1); -1 for no traffic. */
export function trafficClass(share: number): number {
  if (!(share > 0)) return -1;
  return TRAFFIC_CLASSES.findIndex((c) => share >= c.min);
}

/** Country key → class index, for the countries sending traffic in the newest second. */
export function countryClasses(
  countries: readonly GroupStat[] | undefined,
  totalBps: number,
): Map<string, number> {
  const out = new Map<string, number>();
  if (!countries || totalBps <= 0) return out;
  for (const g of countries) {
    if (g.key === OTHER_KEY || g.key === UNKNOWN_KEY) continue;
    const cls = trafficClass(g.bps / totalBps);
    if (cls >= 0) out.set(g.key, cls);
  }
  return out;
}

const RANK: Record<Severity, number> = { critical: 3, warning: 2, info: 1 };

/**
 * Countries named by firing alerts (`subject.country`), with the most severe severity among
 * them. Alerts about other scopes (a destination, the total) mark no country.
 */
export function alertingCountries(alerts: Iterable<Alert>): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const a of alerts) {
    const cc = a.subject.country;
    if (a.state !== 'firing' || !cc) continue;
    const held = out.get(cc);
    if (held === undefined || RANK[a.severity] > RANK[held]) out.set(cc, a.severity);
  }
  return out;
}

/** The countries that get a text label on the map: the largest `n` plus every alerting one. */
export function labelledCountries(
  countries: readonly GroupStat[] | undefined,
  alerting: ReadonlyMap<string, Severity>,
  n: number,
): { key: string; bps: number }[] {
  const byKey = new Map((countries ?? []).map((g) => [g.key, g.bps]));
  const keys = (countries ?? [])
    .filter((g) => g.key !== OTHER_KEY && g.key !== UNKNOWN_KEY && g.bps > 0)
    .slice(0, n)
    .map((g) => g.key);
  for (const k of alerting.keys()) if (!keys.includes(k)) keys.push(k);
  return keys.map((key) => ({ key, bps: byKey.get(key) ?? 0 }));
}

/**
 * Drops labels that would overlap one already placed, in the order given (largest first), so
 * crowded regions (Europe) keep their biggest sender readable. A label occupies a box of
 * `w`×`h` map units to the right of its anchor. Returns the keys to draw.
 */
export function placeLabels(
  labels: readonly { key: string; at: readonly [number, number] }[],
  w = 95,
  h = 40,
): Set<string> {
  const placed: (readonly [number, number])[] = [];
  const out = new Set<string>();
  for (const { key, at } of labels) {
    if (placed.some((p) => Math.abs(p[0] - at[0]) < w && Math.abs(p[1] - at[1]) < h)) continue;
    placed.push(at);
    out.add(key);
  }
  return out;
}
