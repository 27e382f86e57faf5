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
