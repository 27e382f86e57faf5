import type { Alert, Severity } from '@surgewatch/shared';

/** A stretch of the chart during which alerts of one severity were firing. */
export interface AlertPeriod {
  from: number;
  to: number;
  severity: Severity;
  /** How many alerts the stretch covers. */
  count: number;
  /** Still firing at the end of the window. */
  open: boolean;
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * The periods to shade on a chart spanning `domain` (ms epoch): for each severity, the union of
 * the times its alerts were firing (`firingSpans`), clipped to the window. Sorted
 * with the least severe first, so critical shading is drawn on top.
 */
export function alertPeriods(
  alerts: Iterable<Alert>,
  domain: readonly [number, number],
): AlertPeriod[] {
  const [start, end] = domain;
  const spans: Record<Severity, { from: number; to: number; open: boolean }[]> = {
    info: [],
    warning: [],
    critical: [],
  };
  for (const a of alerts) {
    for (const [f, t] of firingSpans(a)) {
      const from = Math.max(f, start);
      const to = Math.min(t ?? end, end);
      if (to > from) spans[a.severity].push({ from, to, open: t === null });
    }
  }
  const out: AlertPeriod[] = [];
  for (const severity of Object.keys(RANK) as Severity[]) {
    const list = spans[severity].sort((x, y) => x.from - y.from);
    let cur: AlertPeriod | null = null;
    for (const s of list) {
      if (cur && s.from <= cur.to) {
        cur.to = Math.max(cur.to, s.to);
        cur.count++;
        cur.open ||= s.open;
      } else {
        if (cur) out.push(cur);
        cur = { from: s.from, to: s.to, severity, count: 1, open: s.open };
      }
    }
    if (cur) out.push(cur);
  }
  return out;
}

/**
 * When an alert was firing, from its history: a resolved alert that fires again within the
 * grace period is the same alert, but the calm between is not shaded. Without a history (or
 * one that never says), from its start to its resolution.
 */
export function firingSpans(a: Alert): [number, number | null][] {
  const spans: [number, number | null][] = [];
  let open: number | null = null;
  let told = false;
  for (const e of a.history ?? []) {
    if (e.event === 'firing' || e.event === 'reopened') {
      open ??= e.at;
      told = true;
    } else if (e.event === 'resolved') {
      // a history trimmed at its old end may start with a resolution
      spans.push([open ?? a.startedAt, e.at]);
      open = null;
      told = true;
    }
  }
  if (!told) return a.state === 'pending' ? [] : [[a.startedAt, a.resolvedAt]];
  if (open !== null) spans.push([open, null]);
  return spans;
}

/** The shading's label: severity in words, never colour alone. */
export function periodLabel(p: AlertPeriod): string {
  return `⚠ ${p.severity}${p.count > 1 ? ` ×${p.count}` : ''}`;
}
