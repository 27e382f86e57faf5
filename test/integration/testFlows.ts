import type { Flow } from '@surgewatch/shared';
import {
  encodeGoflow2Json,
  encodeGoflow2Pb,
  encodePmacctJson,
  encodeSurgewatch,
} from '../../server/src/ingest/decode/encode.js';

export type Format = 'surgewatch' | 'goflow2-json' | 'goflow2-pb' | 'pmacct-json';
export const FORMATS: readonly Format[] = [
  'surgewatch',
  'goflow2-json',
  'goflow2-pb',
  'pmacct-json',
];

const ENCODE: Record<Format, (flows: readonly Flow[]) => Buffer> = {
  surgewatch: encodeSurgewatch,
  'goflow2-json': encodeGoflow2Json,
  'goflow2-pb': encodeGoflow2Pb,
  'pmacct-json': encodePmacctJson,
};

/**
 * Source addresses the bundled GeoIP database places in one country (the same blocks the
 * enrich and demo tests check against the real database), IPv4 and IPv6.
 */
const SOURCES: Record<string, (i: number) => string> = {
  RU: (i) =>
    i % 7 === 0
      ? `2a02:6b8::${(i % 4000).toString(16)}`
      : i % 2
        ? `77.88.8.${1 + (i % 250)}`
        : `95.24.${i % 200}.${1 + (i % 250)}`,
  BR: (i) =>
    i % 5 === 0
      ? `2800:3f0:4001::${(i % 4000).toString(16)}`
      : `200.147.${i % 256}.${1 + (i % 250)}`,
  DE: (i) => `85.214.${i % 256}.${1 + ((i * 7) % 250)}`,
  US: (i) => (i % 3 === 0 ? '8.8.8.8' : `73.${i % 256}.${(i * 3) % 256}.${1 + (i % 250)}`),
};
export const COUNTRIES = Object.keys(SOURCES);

export interface Sums {
  bytes: number;
  packets: number;
  flows: number;
}

export interface FlowSet {
  flows: Flow[];
  /** Expected per-country sums (after sampling scale-up). */
  expected: Map<string, Sums>;
  total: Sums;
  /** Earliest flow start and latest flow end, ms epoch. */
  minStart: number;
  maxEnd: number;
}

/**
 * `n` flows from RU, BR, DE and US that ended within `spanMs` (default 55 s) before `nowMs`, TCP/UDP/ICMP,
 * some sampled 1:10 (counters multiples of 10, so every format round-trips them exactly),
 * some lasting a few seconds (spread over buckets). Deterministic for (n, nowMs, salt).
 */
export function makeFlows(n: number, nowMs: number, salt = 0, spanMs = 55_000): FlowSet {
  const flows: Flow[] = [];
  const expected = new Map<string, Sums>(
    COUNTRIES.map((c) => [c, { bytes: 0, packets: 0, flows: 0 }]),
  );
  const total: Sums = { bytes: 0, packets: 0, flows: 0 };
  for (let k = 0; k < n; k++) {
    const i = k + salt * 100_003;
    const country = COUNTRIES[i % COUNTRIES.length] as string;
    const sampling = i % 4 === 0 ? 10 : 1;
    const packets = (1 + (i % 13)) * sampling;
    const bytes = packets * (60 + ((i * 31) % 1400));
    const proto = i % 10 === 0 ? 17 : i % 23 === 0 ? 1 : 6;
    const end = nowMs - 2_000 - ((i * 997) % spanMs);
    const start = end - (i % 5) * 1_100;
    flows.push({
      end,
      start,
      src: (SOURCES[country] as (i: number) => string)(i),
      dst: '203.0.113.10',
      sport: proto === 1 ? 0 : 1024 + (i % 60000),
      dport: proto === 17 ? 53 : proto === 1 ? 0 : 443,
      proto,
      bytes,
      packets,
      sampling,
      tcpFlags: proto === 6 ? 0x18 : 0,
      srcAs: 0,
      dstAs: 0,
      exporter: '192.0.2.1',
    });
    const e = expected.get(country) as Sums;
    e.bytes += bytes;
    e.packets += packets;
    e.flows += 1;
    total.bytes += bytes;
    total.packets += packets;
    total.flows += 1;
  }
  const minStart = Math.min(...flows.map((f) => f.start));
  const maxEnd = Math.max(...flows.map((f) => f.end));
  return { flows, expected, total, minStart, maxEnd };
}

/** Encodes flows as Kafka message values, `batch` records per message (1 for goflow2-json). */
export function encodeMessages(format: Format, flows: readonly Flow[], batch: number): Buffer[] {
  const per = format === 'goflow2-json' ? 1 : batch;
  const out: Buffer[] = [];
  for (let i = 0; i < flows.length; i += per) out.push(ENCODE[format](flows.slice(i, i + per)));
  return out;
}

export function sumInto(into: Map<string, Sums>, from: Map<string, Sums>): void {
  for (const [k, v] of from) {
    const t = into.get(k) ?? { bytes: 0, packets: 0, flows: 0 };
    into.set(k, {
      bytes: t.bytes + v.bytes,
      packets: t.packets + v.packets,
      flows: t.flows + v.flows,
    });
  }
}
