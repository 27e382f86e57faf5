/**
 * The canonical flow record: what every decoder produces and every stage after ingest consumes.
 * Counters are estimated wire totals, already scaled up by the sampling rate.
 * Times are ms since the Unix epoch (UTC).
 */
export interface Flow {
  /** Flow end, ms epoch: the event time that buckets are keyed by. */
  readonly end: number;
  /** Flow start, ms epoch; equals `end` when the collector did not say. */
  readonly start: number;
  /** Source address in canonical text form (IPv4 dotted quad or compressed IPv6). */
  readonly src: string;
  readonly dst: string;
  /** 0 when the protocol has no ports or the collector did not say. */
  readonly sport: number;
  readonly dport: number;
  /** IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6). */
  readonly proto: number;
  /** Bytes after sampling scale-up. */
  readonly bytes: number;
  /** Packets after sampling scale-up. */
  readonly packets: number;
  /** The sampling rate that was applied (1 = unsampled). */
  readonly sampling: number;
  /** TCP flags as the OR of all packets' flags (0 when unknown or not TCP). */
  readonly tcpFlags: number;
  /** Source/destination AS numbers as seen by the exporter; 0 when unknown. */
  readonly srcAs: number;
  readonly dstAs: number;
  /** The exporter (router) that saw the flow, or '' when unknown. */
  readonly exporter: string;
}

/**
 * The `surgewatch` input format on the wire (flowgen and custom producers):
 * one JSON object per Kafka message, or newline-delimited objects.
 */
export interface SurgewatchRecord {
  /** Flow end, ms epoch. */
  ts: number;
  /** Flow start, ms epoch. */
  start?: number;
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  /** IANA protocol number. */
  proto: number;
  /** Bytes as observed (scaled by `sampling` on ingest). */
  bytes: number;
  packets: number;
  /** Sampling rate: 1 in N packets; default 1. */
  sampling?: number;
  tcpFlags?: number;
  srcAs?: number;
  dstAs?: number;
  exporter?: string;
}

export const PROTO = { ICMP: 1, TCP: 6, UDP: 17, GRE: 47, ESP: 50, ICMPV6: 58 } as const;
