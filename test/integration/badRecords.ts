import type { RejectReason } from '../../server/src/ingest/decode/types.js';

/** One message per reject reason, each producing exactly that one reject (and, where noted, valid flows). */
export interface BadMessage {
  reason: RejectReason;
  value: Buffer;
}

/**
 * One of each bad-record kind the decoders reject, shaped as a misbehaving collector would
 * send it. `good` is a valid surgewatch record (JSON text) reused as the base; the
 * `not_an_object` message carries it as a valid first line, so it adds one flow.
 */
export function badMessages(
  good: Record<string, unknown>,
  nowMs: number,
  maxMessageBytes: number,
): BadMessage[] {
  const json = (o: Record<string, unknown>) => Buffer.from(JSON.stringify(o));
  const without = (key: string) => {
    const o = { ...good };
    delete o[key];
    return o;
  };
  return [
    { reason: 'invalid_json', value: Buffer.from('{"ts": 12, "src": ') },
    { reason: 'not_an_object', value: Buffer.from(`${JSON.stringify(good)}\n[1, 2, 3]`) },
    { reason: 'unknown_format', value: json({ hello: 'world', answer: 42 }) },
    { reason: 'missing_field', value: json(without('bytes')) },
    { reason: 'wrong_type', value: json({ ...good, bytes: 'lots' }) },
    { reason: 'bad_counter', value: json({ ...good, packets: -3 }) },
    { reason: 'bad_address', value: json({ ...good, src: '999.1.2.3' }) },
    { reason: 'bad_timestamp', value: json({ ...good, start: nowMs, ts: nowMs - 5_000 }) },
    { reason: 'future_timestamp', value: json({ ...good, ts: nowMs + 2 * 3_600_000 }) },
    { reason: 'past_timestamp', value: json({ ...good, ts: nowMs - 3 * 86_400_000 }) },
    { reason: 'oversized', value: json({ ...good, exporter: 'x'.repeat(maxMessageBytes + 10) }) },
    {
      reason: 'binary_garbage',
      value: Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x37, 0x99, 0x01, 0x80]),
    },
    {
      reason: 'prototype_key',
      value: Buffer.from(`{"__proto__": {"polluted": 1}, ${JSON.stringify(good).slice(1)}`),
    },
    {
      reason: 'bad_event_type',
      value: Buffer.from(
        '{"event_type": "trace", "ip_src": "8.8.8.8", "ip_dst": "203.0.113.10", "port_src": 5353, "port_dst": 443, ' +
          '"tcp_flags": "24", "ip_proto": "tcp", "timestamp_start": "1700000000.000000", "timestamp_end": "1700000001.000000", ' +
          '"packets": 1, "bytes": 100, "writer_id": "flows/1"}',
      ),
    },
  ];
}
