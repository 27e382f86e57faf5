import type { Flow, SurgewatchRecord } from '@surgewatch/shared';
import { formatPmacctEpoch } from './pmacctTime.js';
import { goflow2ProtoName, pmacctProtoName } from './protocols.js';

// Encoders for flowgen and tests: Flow[] → one Kafka message value, shaped exactly like the
// real producers' output (see server/src/ingest/decode/fixtures/). Input flows carry
// scaled counters; formats that send sampled counts get them divided back by `sampling`
// (rounded), so a round trip is exact when the counters are multiples of the rate.

export { encodeGoflow2Pb } from './goflow2Pb.js';

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
