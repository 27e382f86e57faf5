import type { Alert, AlertContributor, AlertState } from '@surgewatch/shared';

/** One entry of the on-call list: an incident (alerts that belong together) or a lone alert. */
export type OnCallItem =
  | { type: 'incident'; id: string; alerts: Alert[]; startedAt: number }
  | { type: 'alert'; alert: Alert; startedAt: number };

export interface OnCallSection {
  state: AlertState;
  items: OnCallItem[];
  /** Alerts in the section (incidents counted by their alerts). */
  count: number;
}

const SECTION_ORDER: AlertState[] = ['firing', 'pending', 'resolved'];

/**
 * The on-call list: firing, then pending, then resolved; in each, alerts that share an
 * incident grouped together (newest alert first), and entries newest first by their newest
 * start (ms epoch). An incident with a single alert in a section is shown as that alert.
 */
export function onCallSections(alerts: Iterable<Alert>): OnCallSection[] {
  const byState = new Map<AlertState, Alert[]>(SECTION_ORDER.map((s) => [s, []]));
  for (const a of alerts) byState.get(a.state)?.push(a);
  return SECTION_ORDER.map((state) => {
    const list = byState.get(state)!;
    const groups = new Map<string, Alert[]>();
    const items: OnCallItem[] = [];
    for (const a of list) {
      if (a.incidentId) {
        const g = groups.get(a.incidentId);
        if (g) g.push(a);
        else groups.set(a.incidentId, [a]);
      } else {
        items.push({ type: 'alert', alert: a, startedAt: a.startedAt });
      }
    }
    for (const [id, group] of groups) {
      group.sort(newestFirst);
      const startedAt = group[0]!.startedAt;
      items.push(
        group.length === 1
          ? { type: 'alert', alert: group[0]!, startedAt }
          : { type: 'incident', id, alerts: group, startedAt },
      );
    }
    items.sort((a, b) => b.startedAt - a.startedAt || itemId(a).localeCompare(itemId(b)));
    return { state, items, count: list.length };
  });
}

const newestFirst = (a: Alert, b: Alert) => b.startedAt - a.startedAt || a.id.localeCompare(b.id);
const itemId = (i: OnCallItem) => (i.type === 'incident' ? i.id : i.alert.id);

/** Dimensions the wallboard drill-down understands. */
const DRILL_DIMENSIONS = new Set(['country', 'region', 'asn', 'destination', 'protocol', 'vector']);

/** Links into the wallboard drill-down, one per dimension of the subject: `/?drill=country:RU`. */
export function drillLinks(subject: Readonly<Record<string, string>>): {
  label: string;
  href: string;
}[] {
  return Object.entries(subject)
    .filter(([d]) => DRILL_DIMENSIONS.has(d))
    .map(([d, v]) => ({
      label: `${d} ${v}`,
      href: `/?drill=${encodeURIComponent(`${d}:${v}`)}`,
    }));
}

/** A silence's matchers: the subject restricted to the dimensions the person kept. */
export function silenceMatchers(
  subject: Readonly<Record<string, string>>,
  keep: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(subject).filter(([d]) => keep.has(d)));
}

/** Silence durations offered, minutes. */
export const SILENCE_DURATIONS = [15, 60, 240, 1440] as const;

/** "15 min", "1 h", "1 d". */
export function durationLabel(min: number): string {
  if (min % 1440 === 0) return `${min / 1440} d`;
  if (min % 60 === 0) return `${min / 60} h`;
  return `${min} min`;
}

/** The top `n` contributors of an explanation, largest first, with their share of the sum. */
export function topContributors(
  list: readonly AlertContributor[],
  n: number,
): (AlertContributor & { share: number })[] {
  const total = list.reduce((s, c) => s + c.bps, 0);
  return [...list]
    .sort((a, b) => b.bps - a.bps)
    .slice(0, n)
    .map((c) => ({ ...c, share: total > 0 ? c.bps / total : 0 }));
}

/** The alert id named in a location hash (`#alert=<id>`), or null. */
export function alertIdFromHash(hash: string): string | null {
  const m = /^#alert=(.+)$/.exec(hash);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}

/** An error answer for a person: what went wrong, and what to do for the usual cases. */
export function actionErrorText(error: { code: string; message: string }): string {
  switch (error.code) {
    case 'forbidden':
      return `Not allowed: ${error.message}. Acknowledging and silencing need the responder role.`;
    case 'unauthorized':
      return `Signed out: ${error.message}. Sign in again, then retry.`;
    case 'not_found':
      return `Gone: ${error.message}. The alert may have expired from the server's history.`;
    case 'unavailable':
      return `Not done: ${error.message}. Check the connection badge and retry.`;
    default:
      return `${error.code}: ${error.message}`;
  }
}
