import type { Alert, AlertUpdate, Severity } from '@surgewatch/shared';

/** Alerts by id, as last told by the server. */
export type AlertMap = ReadonlyMap<string, Alert>;

/** A snapshot's alert list → map by id. */
export function alertsById(alerts: readonly Alert[]): AlertMap {
  return new Map(alerts.map((a) => [a.id, a]));
}

/**
 * Applies one `alert:update` and returns a new map (or the same map when a remove names an
 * alert we never had). An upsert older than the copy we hold is ignored: events can cross a
 * reconnect snapshot.
 */
export function applyAlertUpdate(alerts: AlertMap, update: AlertUpdate): AlertMap {
  if (update.type === 'remove') {
    if (!alerts.has(update.id)) return alerts;
    const next = new Map(alerts);
    next.delete(update.id);
    return next;
  }
  const held = alerts.get(update.alert.id);
  if (held && held.updatedAt > update.alert.updatedAt) return alerts;
  return new Map(alerts).set(update.alert.id, update.alert);
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * The alerts a wall screen shows: firing ones, most severe first, then unacknowledged before
 * acknowledged, then the newest first.
 */
export function firingAlerts(alerts: AlertMap): Alert[] {
  return [...alerts.values()]
    .filter((a) => a.state === 'firing')
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        Number(a.ack !== null) - Number(b.ack !== null) ||
        b.startedAt - a.startedAt,
    );
}

/** How many of `alerts` there are per severity, most severe first, zero counts left out. */
export function countBySeverity(alerts: readonly Alert[]): { severity: Severity; count: number }[] {
  const counts = new Map<Severity, number>();
  for (const a of alerts) counts.set(a.severity, (counts.get(a.severity) ?? 0) + 1);
  return (Object.keys(SEVERITY_RANK) as Severity[])
    .filter((s) => counts.has(s))
    .map((severity) => ({ severity, count: counts.get(severity) ?? 0 }));
}
