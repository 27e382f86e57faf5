export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** What an alert is about: the scope of its rule, bound to concrete values. */
export interface AlertSubject {
  /** e.g. { country: "RU" } or { destination: "203.0.113.10", vector: "udp-amp-dns" }; empty = total. */
  [dimension: string]: string;
}

export interface Acknowledgement {
  by: string;
  /** ms epoch */
  at: number;
  note: string;
}

export interface Alert {
  /** Deterministic: rule + subject + first bucket. */
  id: string;
  rule: string;
  severity: Severity;
  state: AlertState;
  subject: AlertSubject;
  description: string;
  /** Metric the rule watches, e.g. "bps". */
  metric: string;
  /** Threshold in force when the alert last changed state, in the metric's unit. */
  threshold: number;
  value: number;
  peak: number;
  /** ms epoch */
  startedAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  ack: Acknowledgement | null;
  /** The rule's labels (team, site, …), matched by silences. */
  labels?: Record<string, string>;
  /** Id of the silence muting this alert, or null. A silenced alert still changes state. */
  silencedBy?: string | null;
  /**
   * Simultaneous firing alerts on the same target or from the same sources share one; a new
   * episode of a series within `alerting.refireGrace` of the last one's end joins its incident.
   */
  incidentId?: string | null;
  /** Which wave of its rule and subject this alert is (absent on alerts recorded before episodes). */
  episode?: AlertEpisode;
  /** Why it fired: condition, baseline, contributors and a short series. */
  explanation?: AlertExplanation;
  /** Every state change and acknowledgement, oldest first. */
  history?: AlertHistoryEntry[];
}

/**
 * An alert is one episode of its series (rule × subject): one that fires again after it
 * resolved is a new alert with its own start, peak, vectors, ports and sources, linked to the
 * one before.
 */
export interface AlertEpisode {
  /** 1 for the first wave the kept alerts know of, 2 for the second, … */
  n: number;
  /** The previous episode's id, start and end (ms epoch), or null for a first one. */
  previousId: string | null;
  previousStartedAt: number | null;
  previousResolvedAt: number | null;
}

/** A learned baseline: robust statistics over recent 10-s samples, in the metric's unit. */
export interface AlertBaseline {
  median: number;
  /** Median absolute deviation. */
  mad: number;
  /** Samples it was computed from (samples taken while alerting are left out). */
  samples: number;
  /** False while too few samples exist: the rule cannot fire on the baseline yet. */
  warm: boolean;
  /**
   * Time of day (absent when seasonality is off or the subject has no minute history): the
   * same slot of the day on previous days. `days` had history for it; once at least `needed`
   * do, `median` and `mad` above are the larger of the recent and these seasonal ones.
   */
  seasonal?: { median: number; mad: number; days: number; needed: number };
}

/** One contributor to an alert's subject: a source country, AS, address or vector. */
export interface AlertContributor {
  key: string;
  name: string;
  /**
   * bits per second in the explained second. For source addresses a guaranteed lower bound
   * (heavy hitters: counted weight minus its possible overcount), with `bpsMax` the upper bound.
   */
  bps: number;
  /** Upper bound of a source address's bps (equal to `bps` when exact). */
  bpsMax?: number;
  /** Its part of the subject's traffic, 0–1 (vectors of a target, countries, …). */
  share?: number;
}

/**
 * How the subject's sources spread: a spoofed flood has tens of thousands of sources, none
 * sending a noticeable part, and then no source address is worth listing as a heavy hitter.
 */
export interface AlertSourceSummary {
  /** Distinct source addresses in the explained second (HyperLogLog estimate). */
  distinct: number;
  /** The largest guaranteed share of one listed source, 0–1. */
  topShare: number;
  /** True when the sources look spoofed or a wide botnet: many, none above 0.1 %. */
  spread: boolean;
  /** e.g. "37,700 distinct sources, none above 0.1 %". */
  text: string;
}

/**
 * One port of an alert's subject traffic. A flow counts under one port: its source port when
 * that is a reflector's service (UDP 53, 123, 11211: amplification), else the side that looks
 * like a service (named, then below 1024), the destination when both look alike (the service
 * hit). Flows without ports (ICMP, fragments) count under none.
 */
export interface AlertPort extends AlertContributor {
  /** e.g. "UDP 53 → *" (source port 53 to any) or "TCP * → 443"; `name` is the service ("DNS"), or "". */
  key: string;
  /** "UDP", "TCP", … */
  protocol: string;
  port: number;
  side: 'source' | 'destination';
  /** Its part of the subject's traffic over the same seconds, 0–1. */
  share: number;
}

export interface AlertExplanation {
  /** Human-readable condition, e.g. "above 5 × baseline (floor 10 Mb/s) for 10 s". */
  condition: string;
  baseline: AlertBaseline | null;
  countries: AlertContributor[];
  asns: AlertContributor[];
  sources: AlertContributor[];
  /** Vectors of the subject's traffic with their shares (`share`), heaviest first. */
  vectors: AlertContributor[];
  /** Distinct sources and whether any is worth naming (absent where not known, e.g. pair scopes). */
  sourceSummary?: AlertSourceSummary;
  /**
   * The subject's traffic by port since the alert started, heaviest first: each port at its
   * peak, estimated from the per-second flow sample over the 5 seconds (at most, none before
   * the start) up to an evaluation; `bps` is the mean over them and `share` the port's part
   * of the subject's traffic then. A port stays listed once its flows are gone, so a
   * resolved alert still names what hit. Empty when the sample never held the subject's flows;
   * absent on alerts recorded before ports were explained.
   */
  ports?: AlertPort[];
  /** The metric per second for the sparkline, oldest first, starting at `seriesFrom` (ms epoch). */
  series: number[];
  seriesFrom: number;
}

export interface AlertHistoryEntry {
  /** ms epoch */
  at: number;
  /** `reopened` only on alerts kept from before episodes (a re-fire is a new alert now). */
  event: AlertState | 'reopened' | 'acknowledged' | 'silenced' | 'unsilenced';
  value: number;
  by?: string;
  note?: string;
}

/** Sent whenever an alert changes (never volatile). */
export type AlertUpdate = { type: 'upsert'; alert: Alert } | { type: 'remove'; id: string };

export interface AckRequest {
  id: string;
  note?: string;
}

export interface SilenceRequest {
  /** Dimension → value that an alert subject must match for the silence to apply. */
  matchers: Record<string, string>;
  /** Minutes until the silence expires. */
  durationMin: number;
  reason: string;
}

export interface Silence extends SilenceRequest {
  id: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
}
