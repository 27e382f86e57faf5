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
  alert: Alert;
  key: string;
  /** True for a reminder about a firing already notified. */
  reminder: boolean;
}

/**
 * The notifications due now (`now` ms epoch): every firing alert that needs attention, at or
 * above the chosen severity, not yet notified for this firing; and a reminder for each
 * critical one last notified `renotifyMin` minutes ago or more. Most severe first, then newest.
 */
export function dueNotifications(
  alerts: Iterable<Alert>,
  record: NotifyRecord,
  prefs: NotifyPrefs,
  now: number,
): DueNotification[] {
  const due: DueNotification[] = [];
  for (const alert of alerts) {
    if (!needsAttention(alert) || !atLeast(alert.severity, prefs.minSeverity)) continue;
    const key = episodeKey(alert);
    const seen = record[key];
    if (!seen) {
      due.push({ alert, key, reminder: false });
    } else if (
      alert.severity === 'critical' &&
      prefs.renotifyMin > 0 &&
      now - seen.at >= prefs.renotifyMin * 60_000
    ) {
      due.push({ alert, key, reminder: true });
    }
  }
  return due.sort(
    (a, b) =>
      SEVERITY_LEVEL[b.alert.severity] - SEVERITY_LEVEL[a.alert.severity] ||
      b.alert.startedAt - a.alert.startedAt,
  );
}

/** The record after notifying `due` at `now` (ms epoch), pruned by age and count. */
export function markNotified(
  record: NotifyRecord,
  due: readonly DueNotification[],
  now: number,
): NotifyRecord {
  const next: Record<string, { at: number; count: number }> = { ...record };
  for (const d of due) next[d.key] = { at: now, count: (record[d.key]?.count ?? 0) + 1 };
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
