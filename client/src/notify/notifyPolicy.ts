import type { Alert, Severity } from '@surgewatch/shared';
import type { NotifyPrefs } from './prefs.js';

/**
 * Which firings this browser has already notified: episode key → when it last notified and
 * how often (ms epoch). Shared by every tab of the browser (localStorage), so a reconnect, a
 * reload or a second tab never notifies the same firing again.
 */
export type NotifyRecord = Readonly<Record<string, { at: number; count: number }>>;

export const RECORD_KEY = 'surgewatch.oncall.notified';

/** Records older than this are dropped, ms (a day). */
export const RECORD_MAX_AGE_MS = 86_400_000;
/** At most this many records are kept (the newest). */
export const RECORD_MAX = 500;

const SEVERITY_LEVEL: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** True when `severity` is at or above `min`. */
export function atLeast(severity: Severity, min: Severity): boolean {
  return SEVERITY_LEVEL[severity] >= SEVERITY_LEVEL[min];
}

/**
 * When the alert's current firing began, ms epoch: the last `firing` or `reopened` entry of
 * its history, else its start. An alert that resolves and fires again within the grace
 * period keeps its id; this tells the two firings apart.
 */
export function firedAt(alert: Alert): number {
  const history = alert.history ?? [];
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (h.event === 'firing' || h.event === 'reopened') return h.at;
  }
  return alert.startedAt;
}

/** The key of one firing of an alert: its id and when that firing began. */
export function episodeKey(alert: Alert): string {
  return `${alert.id}@${firedAt(alert)}`;
}

/** Firing, not acknowledged, not silenced: someone has to act. */
export function needsAttention(alert: Alert): boolean {
  return alert.state === 'firing' && alert.ack === null && !alert.silencedBy;
}

export interface DueNotification {
  /** The alert the notification is about: the most severe, newest of its wave. */
  alert: Alert;
  key: string;
  /** The episode keys it stands for: every alert of the wave it tells about (with `key`). */
  keys: string[];
  /** True for a reminder about a wave already notified. */
  reminder: boolean;
  /** How many other alerts of its incident it stands for. */
  others: number;
}

export interface NotifyPlan {
  due: DueNotification[];
  /**
   * Alerts that joined a wave already notified (another alert of the same incident fired a
   * moment later): recorded as told, with the wave's time, so no later check notifies them.
   */
  joined: { key: string; at: number }[];
}

/**
 * What to notify now (`now` ms epoch): one notification per new wave of an incident, not one
 * per alert. Firing alerts group by incident (a lone alert is its own group); a group none of
 * whose firing alerts has been notified gets one notification for those that need attention
 * at or above the chosen severity, about the most severe, newest of them. An alert joining a
 * notified group is recorded silently, unless it is more severe than every notified one. A
 * second wave is new alerts firing after the first ones resolved, so it notifies again. A
 * critical group last notified `renotifyMin` minutes ago or more that still needs attention
 * gets a reminder. Most severe first, then newest.
 */
export function planNotifications(
  alerts: Iterable<Alert>,
  record: NotifyRecord,
  prefs: NotifyPrefs,
  now: number,
): NotifyPlan {
  const groups = new Map<string, Alert[]>();
  for (const a of alerts) {
    if (a.state !== 'firing') continue;
    const g = groups.get(a.incidentId || `alert:${a.id}`);
    if (g) g.push(a);
    else groups.set(a.incidentId || `alert:${a.id}`, [a]);
  }
  const due: DueNotification[] = [];
  const joined: NotifyPlan['joined'] = [];
  for (const group of groups.values()) {
    const told = group.filter((a) => record[episodeKey(a)]);
    const wanted = (a: Alert) => needsAttention(a) && atLeast(a.severity, prefs.minSeverity);
    const fresh = group.filter((a) => wanted(a) && !record[episodeKey(a)]).sort(mostUrgent);
    const keys = fresh.map(episodeKey);
    if (told.length === 0) {
      if (fresh[0]) due.push(notice(fresh[0], keys, false));
      continue;
    }
    const toldLevel = Math.max(...told.map((a) => SEVERITY_LEVEL[a.severity]));
    const lastAt = Math.max(...told.map((a) => record[episodeKey(a)]!.at));
    if (fresh[0] && SEVERITY_LEVEL[fresh[0].severity] > toldLevel) {
      due.push(notice(fresh[0], keys, false));
      continue;
    }
    for (const key of keys) joined.push({ key, at: lastAt });
    const open = group.filter((a) => wanted(a) && record[episodeKey(a)]).sort(mostUrgent);
    if (
      open[0]?.severity === 'critical' &&
      prefs.renotifyMin > 0 &&
      now - lastAt >= prefs.renotifyMin * 60_000
    ) {
      due.push(notice(open[0], open.map(episodeKey), true));
    }
  }
  return { due: due.sort((a, b) => mostUrgent(a.alert, b.alert)), joined };
}

/** The notifications due now: {@link planNotifications}' `due`. */
export function dueNotifications(
  alerts: Iterable<Alert>,
  record: NotifyRecord,
  prefs: NotifyPrefs,
  now: number,
): DueNotification[] {
  return planNotifications(alerts, record, prefs, now).due;
}

function notice(alert: Alert, keys: string[], reminder: boolean): DueNotification {
  return { alert, key: episodeKey(alert), keys, reminder, others: keys.length - 1 };
}

/** Most severe first, then the newest. */
function mostUrgent(a: Alert, b: Alert): number {
  return (
    SEVERITY_LEVEL[b.severity] - SEVERITY_LEVEL[a.severity] ||
    b.startedAt - a.startedAt ||
    a.id.localeCompare(b.id)
  );
}

/**
 * The record after notifying `due` at `now` (ms epoch) and taking note of the `joined` ones,
 * pruned by age and count. Every key a notification stands for counts as told.
 */
export function markNotified(
  record: NotifyRecord,
  due: readonly DueNotification[],
  now: number,
  joined: NotifyPlan['joined'] = [],
): NotifyRecord {
  const next: Record<string, { at: number; count: number }> = { ...record };
  for (const j of joined) next[j.key] = { at: j.at, count: record[j.key]?.count ?? 0 };
  for (const d of due) {
    for (const k of d.keys.includes(d.key) ? d.keys : [d.key, ...d.keys]) {
      next[k] = { at: now, count: (record[k]?.count ?? 0) + 1 };
    }
  }
  return pruneRecord(next, now);
}

/** Drops records older than a day and keeps at most RECORD_MAX (the newest). */
export function pruneRecord(record: NotifyRecord, now: number): NotifyRecord {
  const kept = Object.entries(record)
    .filter(([, v]) => now - v.at < RECORD_MAX_AGE_MS)
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, RECORD_MAX);
  if (kept.length === Object.keys(record).length) return record;
  return Object.fromEntries(kept);
}

/** Stored text → record; malformed text or entries are ignored. */
export function parseRecord(text: string | null): NotifyRecord {
  if (!text) return {};
  try {
    const raw = JSON.parse(text) as unknown;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
    const out: Record<string, { at: number; count: number }> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const e = v as { at?: unknown; count?: unknown } | null;
      if (e && typeof e.at === 'number' && typeof e.count === 'number') {
        out[k] = { at: e.at, count: e.count };
      }
    }
    return out;
  } catch {
    return {};
  }
}
