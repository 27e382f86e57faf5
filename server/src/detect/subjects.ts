import type { AlertSubject } from '@surgewatch/shared';
import { PAIR_SEP } from '@surgewatch/shared';
import { metricOf, type SecondView, type SubjectRef, type TrafficReader } from './reader.js';
import type { Rule } from './rules.js';

/**
 * Key of a subject within its rule, and part of alert ids: "total", "country=RU" or, for a
 * pair, "country.destination=RU/203.0.113.10".
 */
export function subjectKey(subject: SubjectRef): string {
  return subject ? `${subject.dim}=${subject.key.replace(PAIR_SEP, '/')}` : 'total';
}

/** An alert's subject on the wire: one entry per dimension, two for a pair. */
export function subjectMap(subject: SubjectRef): AlertSubject {
  if (!subject) return {};
  const cut = subject.key.indexOf(PAIR_SEP);
  if (!subject.dim.includes('.') || cut < 0) return { [subject.dim]: subject.key };
  const other = subject.dim.slice(subject.dim.indexOf('.') + 1);
  return { country: subject.key.slice(0, cut), [other]: subject.key.slice(cut + 1) };
}

/** The inverse of `subjectMap`, for alerts replayed from the store. */
export function subjectOf(map: AlertSubject): SubjectRef {
  const entries = Object.entries(map).filter((e): e is [string, string] => e[1] !== undefined);
  if (entries.length === 0) return null;
  if (entries.length === 1) {
    const [dim, key] = entries[0] as [string, string];
    return { dim, key } as SubjectRef;
  }
  const country = map.country ?? '';
  const [other, key] = entries.find(([d]) => d !== 'country') ?? ['', ''];
  return { dim: `country.${other}`, key: country + PAIR_SEP + key } as SubjectRef;
}

/** Deterministic alert id: rule, subject and first bucket (seconds), so instances agree. */
export function alertId(rule: string, subject: SubjectRef, start: number): string {
  return `${rule}:${subjectKey(subject)}:${Math.floor(start / 1000)}`;
}

export /** The rule's metric for every key of its scope in one second (nothing when none was seen). */
function valuesAt(
  rule: Rule,
  view: SecondView | null,
  reader: TrafficReader,
): Map<string, { subject: SubjectRef; value: number }> {
  const values = new Map<string, { subject: SubjectRef; value: number }>();
  if (rule.scope === 'total') {
    const v = view ? metricOf(rule.metric, view.total, view.total.bps) : 0;
    values.set('total', { subject: null, value: v });
    return values;
  }
  if (!view) return values;
  const dim = rule.scope;
  const match = rule.match === undefined ? null : [rule.match].flat();
  const pair = dim.includes('.');
  const totalBps = view.total.bps;
  for (const ks of view.keys(dim)) {
    if (match) {
      // a pair scope matches on its second part: the target, service, network or vector
      const part = pair ? ks.key.slice(ks.key.indexOf(PAIR_SEP) + 1) : ks.key;
      if (!match.includes(part)) continue;
    }
    if (pair && !ks.key.includes(PAIR_SEP)) continue; // "other": no country to name
    if (rule.ownOnly && reader.own) {
      const dst = pair ? ks.key.slice(ks.key.indexOf(PAIR_SEP) + 1) : ks.key;
      if (!reader.own(dst)) continue;
    }
    const subject = { dim, key: ks.key };
    values.set(subjectKey(subject), { subject, value: metricOf(rule.metric, ks, totalBps) });
  }
  return values;
}
