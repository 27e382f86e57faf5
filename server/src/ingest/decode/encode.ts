import type { Flow, SurgewatchRecord } from '@surgewatch/shared';
import protobuf from 'protobufjs';
import { ipTextToBytes } from './address.js';
import { FLOW_TYPE, FlowMessage } from './goflow2Schema.js';
import { formatPmacctEpoch } from './pmacctTime.js';
import { ETYPE, goflow2ProtoName, pmacctProtoName } from './protocols.js';

// Encoders for flowgen and tests: Flow[] → one Kafka message value, shaped exactly like the
// real producers' output (see server/src/ingest/decode/fixtures/). Input flows carry
// scaled counters; formats that send sampled counts get them divided back by `sampling`
// (rounded), so a round trip is exact when the counters are multiples of the rate.

function sampled(count: number, sampling: number): number {
  return Math.round(count / sampling);
}

/**
 * Encodes flows as a `surgewatch` message: one JSON object per flow, newline-delimited,
 * every field written. `ts`/`start` ms epoch; `bytes`/`packets` as observed (÷ sampling).
 */
export function encodeSurgewatch(flows: readonly Flow[]): Buffer {
  const lines = flows.map((f) => {
    const record: Required<SurgewatchRecord> = {
      ts: f.end,
      start: f.start,
      src: f.src,
      dst: f.dst,
      sport: f.sport,
      dport: f.dport,
      proto: f.proto,
      bytes: sampled(f.bytes, f.sampling),
      packets: sampled(f.packets, f.sampling),
      sampling: f.sampling,
      tcpFlags: f.tcpFlags,
      srcAs: f.srcAs,
      dstAs: f.dstAs,
      exporter: f.exporter,
    };
    return JSON.stringify(record);
  });
  return Buffer.from(lines.join('\n'));
}

/** ms epoch → the decimal digits of ns epoch (beyond 2^53, so never through a double). */
function msToNsDigits(ms: number): string {
  return (BigInt(ms) * 1_000_000n).toString();
}

/**
 * Encodes flows as goflow2 v2.1 `-format=json` lines, one per flow (goflow2 sends one per
 * Kafka message: pass one flow for that): every field present, zeros included, `proto` and
 * `etype` as names, `time_*_ns` as exact ns integers, counters as sampled counts.
 */
export function encodeGoflow2Json(flows: readonly Flow[]): Buffer {
  const lines = flows.map((f, i) => {
    const v6 = f.src.includes(':');
    const zero = v6 ? '::' : '0.0.0.0';
    const endNs = msToNsDigits(f.end);
    return (
      `{"type":"NETFLOW_V9","time_received_ns":${endNs},"sequence_num":${i},` +
      `"sampling_rate":${f.sampling},"sampler_address":${JSON.stringify(f.exporter)},` +
      `"time_flow_start_ns":${msToNsDigits(f.start)},"time_flow_end_ns":${endNs},` +
      `"bytes":${sampled(f.bytes, f.sampling)},"packets":${sampled(f.packets, f.sampling)},` +
      `"src_addr":${JSON.stringify(f.src)},"dst_addr":${JSON.stringify(f.dst)},` +
      `"etype":"${v6 ? 'IPv6' : 'IPv4'}","proto":${JSON.stringify(goflow2ProtoName(f.proto))},` +
      `"src_port":${f.sport},"dst_port":${f.dport},"in_if":0,"out_if":0,` +
      `"src_mac":"00:00:00:00:00:00","dst_mac":"00:00:00:00:00:00",` +
      `"src_vlan":0,"dst_vlan":0,"vlan_id":0,"ip_tos":0,"forwarding_status":0,"ip_ttl":0,` +
      `"ip_flags":0,"tcp_flags":${f.tcpFlags},"icmp_type":0,"icmp_code":0,` +
      `"ipv6_flow_label":0,"fragment_id":0,"fragment_offset":0,` +
      `"src_as":${f.srcAs},"dst_as":${f.dstAs},"next_hop":"${zero}","next_hop_as":0,` +
      `"src_net":"${zero}/0","dst_net":"${zero}/0","bgp_next_hop":"${zero}",` +
      `"bgp_communities":[],"as_path":[],"mpls_ttl":[],"mpls_label":[],"mpls_ip":[],` +
      `"observation_domain_id":0,"observation_point_id":0}`
    );
  });
  return Buffer.from(lines.join('\n'));
}

/**
 * Encodes flows as a pmacct Kafka plugin message (`kafka_multi_values`: newline-separated
 * objects), formatted as jansson writes them (`", "` and `": "` separators), with
 * `timestamps_since_epoch` strings ("<s>.<µs>"), `ip_proto` and `tcp_flags` as strings,
 * `peer_ip_src` only when the flow has an exporter, `sampling_rate` only when ≠ 1, and
 * `writer_id` last. Counters are sampled counts (÷ sampling).
 */
export function encodePmacctJson(flows: readonly Flow[], writerId = 'flows/1'): Buffer {
  const lines = flows.map((f) => {
    const fields: [string, string | number][] = [
      ['event_type', 'purge'],
      ['as_src', f.srcAs],
      ['as_dst', f.dstAs],
    ];
    if (f.exporter !== '') fields.push(['peer_ip_src', f.exporter]);
    fields.push(
      ['iface_in', 0],
      ['iface_out', 0],
      ['ip_src', f.src],
      ['ip_dst', f.dst],
      ['port_src', f.sport],
      ['port_dst', f.dport],
      ['tcp_flags', String(f.tcpFlags)],
      ['ip_proto', pmacctProtoName(f.proto)],
      ['tos', 0],
      ['timestamp_start', formatPmacctEpoch(f.start)],
      ['timestamp_end', formatPmacctEpoch(f.end)],
      ['timestamp_arrival', formatPmacctEpoch(f.end)],
      ['export_proto_version', 9],
    );
    if (f.sampling !== 1) fields.push(['sampling_rate', f.sampling]);
    fields.push(
      ['packets', sampled(f.packets, f.sampling)],
      ['bytes', sampled(f.bytes, f.sampling)],
      ['writer_id', writerId],
    );
    return `{${fields.map(([k, v]) => `"${k}": ${JSON.stringify(v)}`).join(', ')}}`;
  });
  return Buffer.from(lines.join('\n'));
}

const NS_PER_MS = 1_000_000n;

function uint64(value: bigint): { low: number; high: number; unsigned: boolean } | undefined {
  if (value === 0n) return undefined;
  return { low: Number(value & 0xffffffffn), high: Number(value >> 32n), unsigned: true };
}

/** Drops zero and empty fields, as Go's proto3 marshaller leaves them out of the wire. */
function withoutDefaults(message: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(message)) {
    const v = message[key];
    if (v === undefined || v === 0 || (v instanceof Uint8Array && v.length === 0)) {
      delete message[key];
    }
  }
  return message;
}

/**
 * Encodes flows as a goflow2 v2 `-format=bin` message, one varint-length-delimited
 * `flowpb.FlowMessage` per flow (goflow2 itself sends one per Kafka message: pass one flow
 * for that). Times go out as ns; counters are divided back by `sampling` (rounded) since
 * goflow2 sends sampled counts. Addresses must be canonical text (as decoders produce).
 */
export function encodeGoflow2Pb(flows: readonly Flow[]): Buffer {
  const writer = protobuf.Writer.create();
  flows.forEach((f, i) => {
    const src = ipTextToBytes(f.src);
    FlowMessage.encodeDelimited(
      withoutDefaults({
        type: FLOW_TYPE.NETFLOW_V9,
        time_received_ns: uint64(BigInt(f.end) * NS_PER_MS),
        sequence_num: i,
        sampling_rate: uint64(BigInt(f.sampling)),
        sampler_address: f.exporter === '' ? new Uint8Array(0) : ipTextToBytes(f.exporter),
        time_flow_start_ns: uint64(BigInt(f.start) * NS_PER_MS),
        time_flow_end_ns: uint64(BigInt(f.end) * NS_PER_MS),
        bytes: uint64(BigInt(sampled(f.bytes, f.sampling))),
        packets: uint64(BigInt(sampled(f.packets, f.sampling))),
        src_addr: src,
        dst_addr: ipTextToBytes(f.dst),
        etype: src.length === 4 ? ETYPE.IPv4 : ETYPE.IPv6,
        proto: f.proto,
        src_port: f.sport,
        dst_port: f.dport,
        tcp_flags: f.tcpFlags,
        src_as: f.srcAs,
        dst_as: f.dstAs,
      }),
      writer,
    );
  });
  const bytes = writer.finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
