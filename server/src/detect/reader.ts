import type {
  AggDimension,
  AlertContributor,
  AlertSourceSummary,
  Dimension,
} from '@surgewatch/shared';
import type { RuleMetric } from './rules.js';

/** One key of a dimension in one second: rates per second and distinct sources on demand. */
export interface KeySample {
  key: string;
  bps: number;
  pps: number;
  fps: number;
  sources: () => number;
}

/** One second of aggregated traffic, as detection reads it. */
export interface SecondView {
  total: { bps: number; pps: number; fps: number; sources: number };
  keys(d: AggDimension): readonly KeySample[];
}

/**
 * A series' subject: the total, or one key of one dimension — for a pair scope such as
 * `country.destination`, one country's traffic to one target (key `RU\u001f203.0.113.10`).
 */
export type SubjectRef = { dim: AggDimension; key: string } | null;

export interface Contributors {
  countries: AlertContributor[];
  asns: AlertContributor[];
  sources: AlertContributor[];
  vectors: AlertContributor[];
  /** How many sources send the subject's traffic and whether any is worth naming. */
  sourceSummary?: AlertSourceSummary;
}

/** A flow of a second's flow sample, as detection reads it: its ports and its key per dimension. */
export interface SampledFlowView extends Readonly<Record<Dimension, string>> {
  readonly sport: number;
  readonly dport: number;
  /** IANA protocol number. */
  readonly proto: number;
}

/**
 * What detection reads from aggregation; the composition root adapts the aggregator to it, so
 * detection stays pure and tests feed it tables.
 */
export interface TrafficReader {
  /** Second `t` (ms epoch, start), or null when nothing was seen in it. */
  second(t: number): SecondView | null;
  /** The metric per second over [from, to) for a subject, oldest first. */
  series(from: number, to: number, metric: RuleMetric, subject: SubjectRef): number[];
  /**
   * Per-minute means of the metric (per second) over [from, to) from the minute rollups, one
   * entry per minute, null where no rollup exists or the metric has none (distinct sources of
   * a key). Absent = no minute history: baselines are not seasonal.
   */
  minutes?(from: number, to: number, metric: RuleMetric, subject: SubjectRef): (number | null)[];
  /** Who sends the subject's traffic in second `t`. */
  contributors(t: number, subject: SubjectRef): Contributors;
  /** Display name of a key. */
  name(d: AggDimension, key: string): string;
  /**
   * Whether a destination address is ours: inside a configured network, or any address when
   * none is configured. Absent: every address is.
   */
  own?(destination: string): boolean;
  /**
   * Visits the flow sample of second `t` (ms epoch): each sampled flow with the bytes it
   * stands for (subset sums of them are unbiased). Returns false when the second keeps no
   * sample although it had traffic; a second without traffic visits nothing and returns true.
   * Absent: no samples, explanations list no ports.
   */
  forEachSampled?(t: number, fn: (flow: SampledFlowView, estBytes: number) => void): boolean;
}

/** The value of `metric` for a key sample; `share` is the key's part of the total bps (0–1). */
export function metricOf(
  metric: RuleMetric,
  s: Pick<KeySample, 'bps' | 'pps' | 'fps'> & { sources: number | (() => number) },
  totalBps: number,
): number {
  switch (metric) {
    case 'bps':
      return s.bps;
    case 'pps':
      return s.pps;
    case 'fps':
      return s.fps;
    case 'sources':
      return typeof s.sources === 'function' ? s.sources() : s.sources;
    case 'share':
      return totalBps > 0 ? s.bps / totalBps : 0;
  }
}
