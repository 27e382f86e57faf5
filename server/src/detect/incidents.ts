import type { Alert } from '@surgewatch/shared';

/** Top source countries compared between alerts, and the overlap that links them. */
const COUNTRIES = 3;
const MIN_OVERLAP = 0.5;

function target(a: Alert): string | null {
  if (a.subject.destination) return `destination=${a.subject.destination}`;
  if (a.subject.service) return `service=${a.subject.service}`;
  return null;
}

function countrySet(a: Alert): Set<string> {
  if (a.subject.country) return new Set([a.subject.country]);
  return new Set((a.explanation?.countries ?? []).slice(0, COUNTRIES).map((c) => c.key));
}

/**
 * Whether two firing alerts belong to one incident: the same target, or mostly the same top
 * source countries (a country alert links to any alert among whose top countries it is).
 */
export function linked(a: Alert, b: Alert): boolean {
  const ta = target(a);
  if (ta !== null && ta === target(b)) return true;
  const ca = countrySet(a);
  const cb = countrySet(b);
  if (ca.size === 0 || cb.size === 0) return false;
  let both = 0;
  for (const c of ca) if (cb.has(c)) both++;
  // overlap coefficient: a one-country alert joins a campaign whose top sources include it
  return both / Math.min(ca.size, cb.size) >= MIN_OVERLAP;
}

/**
 * Gives every firing alert without an incident one: the incident of the oldest firing alert it
 * is linked to, else its own (`inc:<alert id>`). Incidents are sticky: an alert keeps its
 * incident until it is gone, so an acknowledged campaign stays one thing. Returns the alerts
 * whose incident changed. Pure.
 */
export function assignIncidents(alerts: readonly Alert[]): Alert[] {
  const firing = alerts
    .filter((a) => a.state === 'firing')
    .sort((x, y) => x.startedAt - y.startedAt || (x.id < y.id ? -1 : 1));
  const changed: Alert[] = [];
  for (const a of firing) {
    if (a.incidentId) continue;
    const peer = firing.find((b) => b !== a && b.incidentId && linked(a, b));
    a.incidentId = peer?.incidentId ?? `inc:${a.id}`;
    changed.push(a);
  }
  return changed;
}
