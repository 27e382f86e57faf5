import type { Alert } from './alert.js';

/** Per-second rates. `bps` is bits per second, `pps` packets per second, `fps` flow records per second. */
export interface Rates {
  bps: number;
  pps: number;
  fps: number;
}

/**
 * The dimensions traffic can be grouped by (REST `by=` and the live views): source country
 * (ISO 3166-1 alpha-2), UN M49 sub-region and continent, source AS, destination address,
 * destination service (configured networks), IP protocol and attack vector.
 */
export const DIMENSIONS = [
  'country',
  'region',
  'continent',
  'asn',
  'destination',
  'service',
  'protocol',
  'vector',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * What one source country can be broken down by (the drill-down, and rule scopes that combine
 * a country with a target or vector). The server keeps each as a pair dimension such as
 * `country.asn`, keyed `<country>\u001f<asn>`.
 */
export const DRILL_DIMENSIONS = ['asn', 'destination', 'service', 'vector'] as const;
export type DrillDimension = (typeof DRILL_DIMENSIONS)[number];

/** Pair dimensions: a country together with one drill dimension. */
export const PAIRS = [
  'country.asn',
  'country.destination',
  'country.service',
  'country.vector',
] as const;
export type Pair = (typeof PAIRS)[number];
/** Separates the two keys of a pair key (a control character no key contains). */
export const PAIR_SEP = '\u001f';

/** Every dimension the server aggregates: the plain ones and the pairs. */
export const AGG_DIMENSIONS = [...DIMENSIONS, ...PAIRS] as const;
export type AggDimension = Dimension | Pair;

/** The pair that breaks a country down by `d`. */
export function pairOf(d: DrillDimension): Pair {
  return `country.${d}`;
}

/** Byte, packet and flow-record counts over a range (not rates). */
export interface Volumes {
  bytes: number;
  packets: number;
  flows: number;
}

/** One group of a traffic range: its sums and its series in the query's metric per second. */
export interface RangeGroupBody extends Volumes {
  key: string;
  name: string;
  series: number[];
}

/**
 * The answer of `GET /api/traffic`: exact sums per group over the range and a series per
 * step (oldest first, in `metric` units per second). The groups — the top N and a last
 * `other` — add up to `totals`. With `country`, the range covers that source country only.
 */
export interface TrafficRange {
  by: Dimension | 'source';
  country?: string;
  metric: Metric;
  from: number;
  to: number;
  stepMs: number;
  times: number[];
  totals: Volumes;
  groups: RangeGroupBody[];
}

export const METRICS = ['bps', 'pps', 'fps'] as const;
export type Metric = (typeof METRICS)[number];

/** One group's rates within a second, e.g. country "RU". */
export interface GroupRates extends Rates {
  /** Machine key: ISO 3166-1 alpha-2 for countries, "AS1234" for networks, … */
  key: string;
}

/** One group's live figures: rates, distinct sources and how far it is from normal. */
export interface GroupStat extends GroupRates {
  /** Display name: "Russia", "AS13238 YANDEX LLC", "UDP reflection: DNS (53)", … */
  name: string;
  /** Distinct source addresses in the second (estimate). */
  sources: number;
  /** Current bps ÷ the key's recent baseline bps (median of the previous minutes); null while there is no baseline. */
  ratio: number | null;
}

/** The top keys of each dimension for one second. */
export type TopGroups = Record<Dimension, GroupStat[]>;

/** Key used for everything outside the top N of a grouping. */
export const OTHER_KEY = 'other';
/** Key used when a source could not be placed (unknown, private, bogon). */
export const UNKNOWN_KEY = 'unknown';

/**
 * One second of traffic as the live views see it.
 * `t` is the start of the second, ms epoch. `countries` holds the top N countries by bps
 * plus an `other` entry for the rest, so the entries add up to `total`.
 */
/**
 * Normal for the total traffic at one second, as detection learned it: the median bits/s of
 * its baseline and the threshold above which the total-traffic rule fires. Absent while the
 * baseline is warming up or no such rule runs.
 */
export interface TrafficBand {
  median: number;
  upper: number;
}

export interface TrafficPoint {
  t: number;
  /** The total's baseline band at this second (bits/s), when detection has one. */
  band?: TrafficBand;
  total: Rates;
  /** Distinct source addresses seen in this second (estimate). */
  sources: number;
  countries: GroupRates[];
}

/** Sent once on every (re)connect: the visible window, so a page draws at once. */
export interface TrafficSnapshot {
  /** Server time when the snapshot was taken, ms epoch. */
  now: number;
  /** Bucket width, ms. */
  stepMs: number;
  /** Oldest first; at most the configured live window. */
  points: TrafficPoint[];
  source: SourceStatus;
  alerts: Alert[];
  /** Country code → English name for every key that appears in `points`. */
  names: Record<string, string>;
  /** The top keys of every dimension for the newest point. */
  top: TopGroups;
}

/**
 * Sent once per second (volatile). `points` holds the newest few seconds, oldest first:
 * a point whose `t` the client already has replaces it (late records updated it).
 */
export interface TrafficTick {
  now: number;
  points: TrafficPoint[];
  names: Record<string, string>;
  /** The top keys of every dimension for the newest point. */
  top: TopGroups;
}

export type SourceKind = 'demo' | 'kafka' | 'replay';

/** Health of the flow source, as shown on every screen. */
export interface SourceStatus {
  kind: SourceKind;
  connected: boolean;
  /** Consumer lag in records summed over partitions; null when not applicable. */
  lag: number | null;
  /** Records decoded per second over the last few seconds. */
  recordsPerSec: number;
  /** Records rejected since start. */
  decodeErrors: number;
  /** Event time (flow end) of the newest record, ms epoch; null before the first. */
  lastRecordTs: number | null;
  /** Human-readable detail, e.g. the reason for a disconnect. */
  message?: string;
}
