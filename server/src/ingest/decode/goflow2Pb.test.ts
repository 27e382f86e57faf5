import type { Flow } from '@surgewatch/shared';
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ipTextToBytes } from './address.js';
import { FIELD, FlowMessage } from './goflow2Schema.js';
import { decodeMessage, encodeGoflow2Pb } from './index.js';
import type { DecodeContext } from './types.js';

const ctx: DecodeContext = {
  now: 1716197425724,
  defaultSampling: 10,
  maxMessageBytes: 1 << 20,
  maxFutureMs: 60_000,
  maxPastMs: 3_600_000,
};
const decode = (bytes: Uint8Array, format: 'goflow2-pb' | 'auto' = 'goflow2-pb') =>
  decodeMessage(bytes, format, ctx);

const u64 = (v: bigint) => ({
  low: Number(v & 0xffffffffn),
  high: Number(v >> 32n),
  unsigned: true,
});

/** One length-delimited FlowMessage built with protobufjs itself, the way goflow2 frames it. */
function frame(message: Record<string, unknown>): Uint8Array {
  return FlowMessage.encodeDelimited(message).finish();
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// The goflow2-json fixture's NetFlow v9 record, as goflow2 -format=bin would carry it.
const NETFLOW_JSON =
  readFileSync(new URL('./fixtures/goflow2-v2-json.ndjson', import.meta.url), 'utf8').split(
    '\n',
  )[1] ?? '';
const NETFLOW_MESSAGE = {
  type: 3,
  time_received_ns: u64(1716197425724392273n),
  sequence_num: 3859901031,
  sampler_address: ipTextToBytes('10.139.3.247'),
  time_flow_start_ns: u64(1716197395000000000n),
  time_flow_end_ns: u64(1716197395000000000n),
  bytes: u64(5564n),
  packets: u64(6n),
  src_addr: ipTextToBytes('5.190.239.206'),
  dst_addr: ipTextToBytes('216.58.212.170'),
  etype: 0x800,
  proto: 6,
  src_port: 25316,
  dst_port: 443,
  in_if: 926,
  out_if: 81,
  forwarding_status: 66,
  tcp_flags: 16,
};

describe('goflow2-pb', () => {
  it('uses goflow2 v2 pb/flow.proto field numbers', () => {
    expect(FIELD).toMatchObject({
      type: 1,
      sampling_rate: 3,
      src_addr: 6,
      dst_addr: 7,
      bytes: 9,
      packets: 10,
      sampler_address: 11,
      src_as: 14,
      dst_as: 15,
      proto: 20,
      src_port: 21,
      dst_port: 22,
      tcp_flags: 26,
      etype: 30,
      time_received_ns: 110,
      time_flow_start_ns: 111,
      time_flow_end_ns: 112,
    });
  });

  it('decodes the NetFlow v9 record exactly as its JSON twin', () => {
    const fromPb = decode(frame(NETFLOW_MESSAGE));
    const fromJson = decodeMessage(Buffer.from(NETFLOW_JSON), 'goflow2-json', ctx);
    expect(fromPb.rejects).toEqual([]);
    expect(fromPb).toEqual(fromJson);
    expect(fromPb.flows[0]?.end).toBe(1716197395000);
    expect(fromPb.unknownSampling).toBe(1);
  });

  it('reads uint64 ns exactly at second boundaries and IPv6 raw addresses', () => {
    const r = decode(
      frame({
        ...NETFLOW_MESSAGE,
        time_flow_start_ns: u64(1716197395999999999n),
        time_flow_end_ns: u64(1716197396000000000n),
        sampling_rate: u64(100n),
        src_addr: ipTextToBytes('fd01::1'),
        dst_addr: ipTextToBytes('::ffff:192.0.2.9'),
        bytes: u64(1500n),
        packets: u64(1n),
      }),
    );
    expect(r.flows.map((f) => [f.start, f.end, f.src, f.dst, f.bytes, f.packets])).toEqual([
      [1716197395999, 1716197396000, 'fd01::1', '192.0.2.9', 150000, 100],
    ]);
  });

  it('decodes several frames in one message, each on its own', () => {
    const good = frame(NETFLOW_MESSAGE);
    const badAddr = frame({ ...NETFLOW_MESSAGE, src_addr: Uint8Array.from([1, 2, 3, 4, 5]) });
    const hugeBytes = frame({ ...NETFLOW_MESSAGE, bytes: u64(2n ** 60n) });
    const r = decode(concat(good, badAddr, good, hugeBytes));
    expect(r.flows).toHaveLength(2);
    expect(r.rejects).toEqual([
      { reason: 'bad_address', detail: 'frame 2: src_addr: 5 bytes' },
      { reason: 'bad_counter', detail: 'frame 4: bytes is not a non-negative integer' },
    ]);
  });

  it('keeps the good frames before a truncated or malformed one', () => {
    const good = frame(NETFLOW_MESSAGE);
    const truncated = decode(concat(good, good.subarray(0, good.length - 3)));
    expect(truncated.flows).toHaveLength(1);
    expect(truncated.rejects.map((r) => r.reason)).toEqual(['binary_garbage']);

    // field 6 (src_addr) sent as a varint: the right length, the wrong wire type
    const wrongWire = Uint8Array.from([3, (6 << 3) | 0, 1, 0]);
    const r = decode(concat(good, wrongWire, good));
    expect(r.flows).toHaveLength(2);
    expect(r.rejects).toEqual([
      { reason: 'binary_garbage', detail: 'frame 2: field 6: wire type 0, expected 2' },
    ]);
  });

  it('reports an exception outside the wire format as internal_error, not garbage', () => {
    const throwing = Object.defineProperty({ ...ctx }, 'now', {
      get(): number {
        throw new Error('clock exploded');
      },
    });
    const r = decodeMessage(frame(NETFLOW_MESSAGE), 'goflow2-pb', throwing);
    expect(r.rejects).toEqual([{ reason: 'internal_error', detail: 'frame 1: clock exploded' }]);
  });

  it('rejects a message without IP addresses (e.g. an ARP sample)', () => {
    const r = decode(
      frame({
        ...NETFLOW_MESSAGE,
        src_addr: new Uint8Array(0),
        dst_addr: new Uint8Array(0),
        etype: 0x806,
      }),
    );
    expect(r.rejects).toEqual([
      { reason: 'bad_address', detail: 'frame 1: no IP addresses (etype 0x806)' },
    ]);
  });

  it('skips fields it does not read, whatever their wire type', () => {
    const writer = protobuf.Writer.create();
    writer.uint32((200 << 3) | 2).bytes(Uint8Array.from([1, 2, 3])); // unknown bytes
    writer.uint32((201 << 3) | 5).fixed32(7); // unknown fixed32
    writer.uint32((202 << 3) | 1).fixed64(7); // unknown fixed64
    writer
      .uint32((102 << 3) | 2)
      .fork()
      .uint32(64500)
      .uint32(64501)
      .ldelim(); // packed as_path
    const extra = writer.finish();
    const base = FlowMessage.encode(NETFLOW_MESSAGE).finish();
    const body = concat(base, extra);
    const prefixed = concat(protobuf.Writer.create().uint32(body.length).finish(), body);
    expect(decode(prefixed).flows).toHaveLength(1);
  });

  it('encodes what protobufjs decodes, leaving zero fields out like Go does', () => {
    const flow: Flow = {
      end: 1716197396000,
      start: 1716197395999,
      src: '2001:db8::1',
      dst: '192.0.2.1',
      sport: 0,
      dport: 53,
      proto: 17,
      bytes: 6400,
      packets: 100,
      sampling: 100,
      tcpFlags: 0,
      srcAs: 0,
      dstAs: 64500,
      exporter: '',
    };
    const bytes = encodeGoflow2Pb([flow]);
    const message = FlowMessage.toObject(FlowMessage.decodeDelimited(bytes), {
      longs: String,
      bytes: Array,
    });
    expect(message).toEqual({
      type: 3,
      time_received_ns: '1716197396000000000',
      sampling_rate: '100',
      time_flow_start_ns: '1716197395999000000',
      time_flow_end_ns: '1716197396000000000',
      bytes: '64',
      packets: '1',
      src_addr: Array.from(ipTextToBytes('2001:db8::1')),
      dst_addr: [192, 0, 2, 1],
      etype: 0x86dd,
      proto: 17,
      dst_port: 53,
      dst_as: 64500,
    });
    expect(decode(bytes).flows).toEqual([flow]);
  });
});
