import type { Alert, AlertState, Severity } from '@surgewatch/shared';
import { isVector, VECTOR_NAMES } from '@surgewatch/shared';
import { waveLabel } from '../../format/episode.js';
import {
  formatBitRate,
  formatCount,
  formatDuration,
  formatFlowRate,
  formatPacketRate,
} from '../../format/format.js';
import type { AlertMap } from '../../store/alerts.js';

export interface AlertRow {
  id: string;
  severity: Severity;
  state: AlertState;
  /** "RU Russia · UDP reflection: DNS (53)", "203.0.113.10", "all traffic". */
  subject: string;
  description: string;
  /** How long it has fired (or fired, once resolved): "4 min 05 s". */
  duration: string;
  /** Peak in the rule's metric, with its unit: "12.4 Gb/s". */
  peak: string;
  /** "alice" when acknowledged; null when nobody has. */
  ackBy: string | null;
  /** "second wave, 9 min after the first"; null for a first wave. */
  wave: string | null;
}

/** A value in a rule's metric with its unit. Unknown metrics get a bare count. */
export function formatMetric(metric: string, value: number): string {
  if (metric === 'bps') return formatBitRate(value);
  if (metric === 'pps') return formatPacketRate(value);
  if (metric === 'fps') return formatFlowRate(value);
  return formatCount(value);
}

const DIMENSION_ORDER = [
  'country',
  'region',
  'continent',
  'asn',
  'destination',
  'service',
  'protocol',
  'vector',
];

/**
 * An alert's subject for people: its values in a fixed dimension order, countries with their
 * name, vectors by name; an empty subject is the total.
 */
export function formatSubject(
  subject: Readonly<Record<string, string>>,
  names: Readonly<Record<string, string>>,
): string {
  const dims = Object.keys(subject).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (dims.length === 0) return 'all traffic';
  return dims
    .map((d) => {
      const v = subject[d]!;
      if (d === 'country') return names[v] ? `${v} ${names[v]}` : v;
      if (d === 'vector' && isVector(v)) return VECTOR_NAMES[v];
      return v;
    })
    .join(' · ');
}

/**
 * An alert's description without the subject label the server starts it with
 * ("destination 203.0.113.10: a packet flood toward this address" → "a packet flood toward
 * this address"), for places that show the subject beside it.
 */
export function descriptionDetail(description: string): string {
  return description.replace(/^[^:]*: /, '');
}

function rank(dim: string): number {
  const i = DIMENSION_ORDER.indexOf(dim);
  return i < 0 ? DIMENSION_ORDER.length : i;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const STATE_RANK: Record<AlertState, number> = { firing: 0, pending: 1, resolved: 2 };

/**
 * The alert panel's rows: firing first (most severe, then unacknowledged, then newest), then
 * pending, then alerts resolved within `recentMs` of `now` (newest first); at most `max`.
 * Times are ms epoch.
 */
export function alertRows(
  alerts: AlertMap,
  now: number,
  names: Readonly<Record<string, string>>,
  { max = 8, recentMs = 30 * 60_000 } = {},
): AlertRow[] {
  return [...alerts.values()]
    .filter((a) => a.state !== 'resolved' || (a.resolvedAt ?? a.updatedAt) >= now - recentMs)
    .sort(
      (a, b) =>
        STATE_RANK[a.state] - STATE_RANK[b.state] ||
        (a.state === 'resolved'
          ? (b.resolvedAt ?? b.updatedAt) - (a.resolvedAt ?? a.updatedAt)
          : SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
            Number(a.ack !== null) - Number(b.ack !== null) ||
            b.startedAt - a.startedAt),
    )
    .slice(0, max)
    .map((a) => toRow(a, now, names));
}

function toRow(a: Alert, now: number, names: Readonly<Record<string, string>>): AlertRow {
  const end = a.state === 'resolved' ? (a.resolvedAt ?? a.updatedAt) : now;
  return {
    id: a.id,
    severity: a.severity,
    state: a.state,
    subject: formatSubject(a.subject, names),
    description: a.description,
    duration: formatDuration(end - a.startedAt),
    peak: formatMetric(a.metric, a.peak),
    ackBy: a.ack?.by ?? null,
    wave: waveLabel(a),
  };
}
