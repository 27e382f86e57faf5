import type { Flow } from '@surgewatch/shared';

/** The input formats of DESIGN.md; `auto` detects per message. */
export const INPUT_FORMATS = [
  'auto',
  'surgewatch',
  'goflow2-json',
  'goflow2-pb',
  'pmacct-json',
] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Why a record was rejected: the label of the `surgewatch_decode_errors_total` metric. */
export const REJECT_REASONS = [
  'invalid_json', // not parseable as JSON
  'not_an_object', // JSON, but not an object (array, string, null, …)
  'unknown_format', // an object no decoder recognises
  'missing_field', // a required field is absent
  'wrong_type', // a field has the wrong type (e.g. bytes: "abc")
  'bad_counter', // negative, non-integer or absurd bytes/packets, or bytes < packets
  'bad_address', // src/dst not a valid IPv4/IPv6 address
  'bad_timestamp', // not a finite time, or end before start
  'future_timestamp', // flow end further in the future than allowed
  'past_timestamp', // flow end older than allowed
  'oversized', // message larger than the configured maximum
  'binary_garbage', // bytes that are neither JSON nor a valid protobuf frame
  'prototype_key', // __proto__ / constructor / prototype keys
  'bad_event_type', // pmacct event_type other than purge
  'internal_error', // a decoder bug: an unexpected exception, caught so the partition keeps moving
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Reject {
  reason: RejectReason;
  /** Short human-readable detail, safe to log and to put in a DLQ header. */
  detail: string;
}

export interface DecodeContext {
  /** Wall-clock now, ms epoch: the reference for future/past timestamp checks. */
  now: number;
  /** Sampling rate to apply when the collector says 0 / unknown. */
  defaultSampling: number;
  /** Largest accepted message, bytes. */
  maxMessageBytes: number;
  /** Accept flow ends at most this far ahead of `now`, ms. */
  maxFutureMs: number;
  /** Accept flow ends at most this far behind `now`, ms. */
  maxPastMs: number;
}

/**
 * The outcome of decoding one Kafka message: the valid flows (scaled by sampling) and one
 * reject per bad record. A message can hold many records (NDJSON, pb frames); a bad record
 * never discards its good neighbours.
 */
export interface DecodeResult {
  flows: Flow[];
  rejects: Reject[];
  /** Records whose sampling rate was unknown (0) and got `defaultSampling`. */
  unknownSampling: number;
}
