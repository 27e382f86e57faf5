import type { Alert, AlertContributor, AlertState, Severity } from '@surgewatch/shared';
import { isVector, VECTOR_NAMES } from '@surgewatch/shared';
import { waveLabel, waveName } from '../../format/episode.js';
import { formatBitRate } from '../../format/format.js';

/**
 * One wave of an incident: alerts whose firing overlapped, from the first start to the last
 * end. Waves of an incident are separated by a calm in which none of its alerts fired.
 */
export interface IncidentWave {
  /** Which wave of the incident this is (1, 2, …, the first one it still holds being 1). */
  n: number;
  /** "second wave, 9 min after the first", or null for a first wave. */
  label: string | null;
  /** Most urgent first: firing, most severe, unacknowledged, newest. */
  alerts: Alert[];
  /** ms epoch */
  startedAt: number;
  /** ms epoch; null while any of its alerts has not resolved. */
  endedAt: number | null;
}

/** One entry of the on-call list: an incident (alerts that belong together) or a lone alert. */
export type OnCallItem =
  | {
      type: 'incident';
      id: string;
      /** Every alert of the incident, current wave first. */
      alerts: Alert[];
      /** Newest (current) first. */
      waves: IncidentWave[];
      /** Start of the current wave, ms epoch. */
      startedAt: number;
    }
  | { type: 'alert'; alert: Alert; startedAt: number };

export interface OnCallSection {
  state: AlertState;
  items: OnCallItem[];
  /** Alerts in this state, wherever they are listed (an incident's earlier waves stay with it). */
  count: number;
}

const SECTION_ORDER: AlertState[] = ['firing', 'pending', 'resolved'];
const STATE_RANK: Record<AlertState, number> = { firing: 0, pending: 1, resolved: 2 };
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * The on-call list: firing, then pending, then resolved. Alerts that share an incident stay
 * together, in the section of the incident's most urgent alert, split into waves (the
 * current one first). Firing and pending entries are ranked by their most urgent alert: most
 * severe first, then unacknowledged, then the newest; resolved ones come newest first (by the
 * current wave's start). Times are ms epoch. An incident with a single alert is shown as that
 * alert.
 */
export function onCallSections(alerts: Iterable<Alert>): OnCallSection[] {
  const items = new Map<AlertState, OnCallItem[]>(SECTION_ORDER.map((s) => [s, []]));
  const counts = new Map<AlertState, number>(SECTION_ORDER.map((s) => [s, 0]));
  const groups = new Map<string, Alert[]>();
  for (const a of alerts) {
    counts.set(a.state, (counts.get(a.state) ?? 0) + 1);
    const key = a.incidentId || `alert:${a.id}`;
    const g = groups.get(key);
    if (g) g.push(a);
    else groups.set(key, [a]);
  }
  for (const [key, group] of groups) {
    const lead = [...group].sort(urgentFirst)[0]!;
    let item: OnCallItem;
    if (group.length === 1) {
      item = { type: 'alert', alert: lead, startedAt: lead.startedAt };
    } else {
      const waves = incidentWaves(group);
      item = {
        type: 'incident',
        id: key,
        alerts: waves.flatMap((w) => w.alerts),
        waves,
        startedAt: waves[0]!.startedAt,
      };
    }
    items.get(lead.state)?.push(item);
  }
  return SECTION_ORDER.map((state) => {
    const list = items.get(state)!;
    list.sort(
      state === 'resolved'
        ? (a, b) => b.startedAt - a.startedAt || itemId(a).localeCompare(itemId(b))
        : (a, b) => urgentFirst(leadOf(a), leadOf(b)) || itemId(a).localeCompare(itemId(b)),
    );
    return { state, items: list, count: counts.get(state) ?? 0 };
  });
}

/**
 * An incident's alerts in waves, newest first: alerts overlap in time within a wave, and a
 * wave starts once every alert before it has resolved. Waves are numbered within the incident
 * (its first kept wave is 1), with the gap from the previous one's end: a card still says
 * which wave of its own rule and subject it is, and that may lie outside the incident.
 */
export function incidentWaves(alerts: readonly Alert[]): IncidentWave[] {
  const sorted = [...alerts].sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id));
  const clusters: Alert[][] = [];
  let end = -Infinity;
  for (const a of sorted) {
    const last = clusters[clusters.length - 1];
    const until = a.resolvedAt ?? Infinity;
    if (last && a.startedAt <= end) {
      last.push(a);
      end = Math.max(end, until);
    } else {
      clusters.push([a]);
      end = until;
    }
  }
  const waves: IncidentWave[] = [];
  for (const c of clusters) {
    const prev = waves[waves.length - 1];
    const n = waves.length + 1;
    const startedAt = c[0]!.startedAt;
    const ends = c.map((a) => a.resolvedAt);
    const endedAt = ends.every((e) => e !== null) ? Math.max(...(ends as number[])) : null;
    const label = prev
      ? waveLabel({
          startedAt,
          episode: {
            n,
            previousId: null,
            previousStartedAt: prev.startedAt,
            previousResolvedAt: prev.endedAt,
          },
        })
      : null;
    waves.push({ n, label, alerts: [...c].sort(urgentFirst), startedAt, endedAt });
  }
  return waves.reverse();
}

/** A wave's heading: "Second wave, 9 min after the first", "First wave", "Wave 6". */
export function waveTitle(wave: Pick<IncidentWave, 'n' | 'label'>): string {
  const text = wave.label ?? waveName(wave.n);
  return text[0]!.toUpperCase() + text.slice(1);
}

/** Firing before pending before resolved, then most severe, unacknowledged, newest. */
function urgentFirst(a: Alert, b: Alert): number {
  return (
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    Number(a.ack !== null) - Number(b.ack !== null) ||
    b.startedAt - a.startedAt ||
    a.id.localeCompare(b.id)
  );
}

const itemId = (i: OnCallItem) => (i.type === 'incident' ? i.id : i.alert.id);

/** The alert an entry is sorted by: the alert, or the incident's most urgent one. */
function leadOf(i: OnCallItem): Alert {
  return i.type === 'alert' ? i.alert : i.waves[0]!.alerts[0]!;
}

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

/**
 * The top `n` contributors of an explanation, largest first, with their share: the server's
 * (of the subject's whole traffic) where it sent one, else of the listed ones' sum.
 */
export function topContributors(
  list: readonly AlertContributor[],
  n: number,
): (AlertContributor & { share: number })[] {
  const total = list.reduce((s, c) => s + c.bps, 0);
  return [...list]
    .sort((a, b) => b.bps - a.bps)
    .slice(0, n)
    .map((c) => ({ ...c, share: c.share ?? (total > 0 ? c.bps / total : 0) }));
}

/** One contributor as a card lists it. */
export interface ContributorRow {
  key: string;
  /** "AS3216 PJSC Vimpelcom", "RU Russia", "TCP SYN", "192.0.2.7". */
  label: string;
  /** "1.20 Gb/s", or "≥ 1.20 Mb/s" for a source whose rate is only bounded below. */
  rate: string;
  share: number;
  /** "between 1.20 and 1.45 Mb/s" for a bounded source, else "". */
  title: string;
}

/**
 * The top `n` contributors of a list as rows: names from the contributor or `names`, vectors
 * by their shared names; a source's rate is a guaranteed lower bound ("≥") when its upper
 * bound (`bpsMax`) is higher.
 */
export function contributorRows(
  list: readonly AlertContributor[],
  n: number,
  names: Readonly<Record<string, string>>,
): ContributorRow[] {
  return topContributors(list, n).map((c) => {
    const bounded = c.bpsMax !== undefined && c.bpsMax > c.bps;
    return {
      key: c.key,
      label: contributorLabel(c, names),
      rate: `${bounded ? '≥ ' : ''}${formatBitRate(c.bps)}`,
      share: c.share,
      title: bounded ? `between ${formatBitRate(c.bps)} and ${formatBitRate(c.bpsMax!)}` : '',
    };
  });
}

function contributorLabel(c: AlertContributor, names: Readonly<Record<string, string>>): string {
  if (isVector(c.key)) return VECTOR_NAMES[c.key];
  const name = c.name || names[c.key];
  if (!name || name === c.key) return c.key;
  // AS names already start with their number ("AS3216 PJSC Vimpelcom")
  return name.startsWith(c.key) ? name : `${c.key} ${name}`;
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
