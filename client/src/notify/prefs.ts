import type { Severity } from '@surgewatch/shared';
import { SEVERITIES } from '@surgewatch/shared';

/** What one person wants from the on-call page, kept in this browser (localStorage). */
export interface NotifyPrefs {
  /** Alerts below this severity never notify. */
  minSeverity: Severity;
  /** A short tone with each notification (generated, nothing downloaded). */
  sound: boolean;
  /** An unacknowledged critical alert notifies again after this many minutes; 0 = never. */
  renotifyMin: number;
}

export const PREFS_KEY = 'surgewatch.oncall.prefs';

export const DEFAULT_PREFS: NotifyPrefs = { minSeverity: 'warning', sound: false, renotifyMin: 5 };

/** Longest re-notify interval accepted, minutes (a day). */
export const MAX_RENOTIFY_MIN = 1440;

/** Stored text → prefs; anything missing or malformed falls back to its default. */
export function parsePrefs(text: string | null): NotifyPrefs {
  if (!text) return DEFAULT_PREFS;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return DEFAULT_PREFS;
  }
  if (typeof raw !== 'object' || raw === null) return DEFAULT_PREFS;
  const r = raw as Record<string, unknown>;
  return {
    minSeverity: SEVERITIES.includes(r.minSeverity as Severity)
      ? (r.minSeverity as Severity)
      : DEFAULT_PREFS.minSeverity,
    sound: typeof r.sound === 'boolean' ? r.sound : DEFAULT_PREFS.sound,
    renotifyMin: clampRenotify(r.renotifyMin),
  };
}

/** A re-notify interval from a form or storage: whole minutes in [0, MAX_RENOTIFY_MIN]. */
export function clampRenotify(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return DEFAULT_PREFS.renotifyMin;
  return Math.min(MAX_RENOTIFY_MIN, Math.max(0, Math.round(n)));
}
