import type { AlertBaseline, AlertContributor, AlertExplanation } from '@surgewatch/shared';
import { formatMetric } from './format.js';
import { portsOf, vectorsOf } from './ports.js';
import type { SubjectRef, TrafficReader } from './reader.js';
import type { Rule } from './rules.js';

/** Seconds of history an alert carries for its sparkline. */
export const SPARKLINE_SECONDS = 120;

/** The rule's condition in words, e.g. "above 5 × baseline (floor 10 Mb/s) for 10 s". */
export function describeCondition(rule: Rule): string {
  const w = rule.when;
  const m = (v: number) => formatMetric(rule.metric, v);
  const cond =
    'above' in w
      ? w.usual === undefined
        ? `above ${m(w.above)}`
        : `above ${m(w.above)} and ${w.usual} × its usual level`
      : 'baseline' in w
        ? `above ${w.baseline.k} × baseline (floor ${m(w.baseline.floor)})`
        : `above baseline + ${w.zscore.z} σ (floor ${m(w.zscore.floor)})`;
  return rule.for > 0
    ? `${rule.metric} ${cond} for ${rule.for / 1000} s`
    : `${rule.metric} ${cond}`;
}

/** "All traffic", "Russia (RU)", "destination 203.0.113.30", … */
export function subjectLabel(reader: TrafficReader, subject: SubjectRef): string {
  if (!subject) return 'All traffic';
  const name = reader.name(subject.dim, subject.key);
  if (name === subject.key) return `${subject.dim} ${subject.key}`;
  return subject.dim === 'country' ? `${name} (${subject.key})` : name;
}

/**
 * Everything an alert carries to explain itself at second `t` (ms epoch): the condition, the
 * baseline in force, who sends the subject's traffic and on which ports (from the flow
 * samples of the seconds since the alert started at `since`, ms epoch, at most the last 5),
 * and the metric over the last {@link SPARKLINE_SECONDS} seconds.
 */
export function explain(
  rule: Rule,
  subject: SubjectRef,
  baseline: AlertBaseline | null,
  t: number,
  reader: TrafficReader,
  since?: number,
): AlertExplanation {
  const to = t + 1000;
  const from = to - SPARKLINE_SECONDS * 1000;
  const c = reader.contributors(t, subject);
  const subjectBps = reader.series(t, to, 'bps', subject)[0] ?? 0;
  // a target's, service's or network's vectors: no pair dimension holds them, the flow
  // sample tells (with shares over the same seconds as its ports)
  const vectors =
    c.vectors.length > 0 ? withShares(c.vectors, subjectBps) : vectorsOf(reader, subject, t, since);
  return {
    condition: describeCondition(rule),
    baseline,
    ...c,
    countries: withShares(c.countries, subjectBps),
    asns: withShares(c.asns, subjectBps),
    vectors,
    ports: portsOf(reader, subject, t, since),
    series: reader.series(from, to, rule.metric, subject),
    seriesFrom: from,
  };
}

/** Each contributor's part of the subject's bps (0–1) where it has none yet. */
function withShares(list: AlertContributor[], subjectBps: number): AlertContributor[] {
  return list.map((x) =>
    x.share !== undefined
      ? x
      : { ...x, share: subjectBps > 0 ? Math.min(1, x.bps / subjectBps) : 0 },
  );
}
