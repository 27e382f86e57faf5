import type { KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { DlqSample } from './kafkaDlq.js';
import { dlqMessage, DLQ_HEADERS } from './kafkaDlq.js';
import { kafkaMetrics } from './kafkaMetrics.js';
import { createRecordDecoder } from './kafkaRecords.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const cfg = {
  format: 'auto' as const,
  defaultSampling: 1,
  maxMessageBytes: 65_536,
  maxFutureMs: 60_000,
  maxPastMs: 86_400_000,
};
const good = (ts: number, bytes: number) =>
  JSON.stringify({ ts, src: '8.8.8.8', dst: '203.0.113.10', proto: 6, bytes, packets: 1 });
const msg = (offset: number, value: string | null): KafkaMessage =>
  ({
    offset: String(offset),
    key: null,
    value: value === null ? null : Buffer.from(value),
    timestamp: String(NOW),
    attributes: 0,
    headers: {},
  }) as KafkaMessage;

function setup() {
  const registry = new Registry();
  const metrics = kafkaMetrics(registry);
  const offered: DlqSample[] = [];
  const decoder = createRecordDecoder(cfg, {
    metrics,
    dlq: { offer: (s) => offered.push(s) },
    logger: pino({ level: 'silent' }),
  });
  return { registry, metrics, offered, decoder };
}

describe('createRecordDecoder', () => {
  it('decodes good records, counts and samples bad ones, and keeps going', async () => {
    const { registry, offered, decoder } = setup();
    const flows = decoder.decode(
      3,
      [
        msg(10, good(NOW - 1000, 100)),
        msg(11, '{not json'),
        msg(12, good(NOW - 500, 200)),
        msg(13, null),
      ],
      0,
      NOW,
    );
    expect(flows.map((f) => f.bytes)).toEqual([100, 200]);
    expect(decoder.totals).toEqual({ records: 2, decodeErrors: 2, lastRecordTs: NOW - 500 });
    expect(offered.map((s) => [s.partition, s.offset])).toEqual([
      [3, '11'],
      [3, '13'],
    ]);
    const text = await registry.metrics();
    expect(text).toMatch(/surgewatch_decode_errors_total\{reason="invalid_json"\} 1/);
    expect(text).toMatch(/surgewatch_kafka_messages_total 4/);
    expect(text).toMatch(/surgewatch_kafka_records_total 2/);
  });

  it('skips offsets already aggregated by this process', () => {
    const { decoder } = setup();
    const flows = decoder.decode(
      0,
      [msg(5, good(NOW, 1)), msg(6, good(NOW, 2)), msg(7, good(NOW, 3))],
      7,
      NOW,
    );
    expect(flows.map((f) => f.bytes)).toEqual([3]);
  });
});

describe('dlqMessage', () => {
  it('keeps key and value and puts reason, detail and origin in headers', () => {
    const m = dlqMessage('flows', {
      key: Buffer.from('k'),
      value: Buffer.from('{x'),
      partition: 2,
      offset: '42',
      rejects: [
        { reason: 'invalid_json', detail: 'Unexpected token' },
        { reason: 'bad_counter', detail: 'bytes < 0' },
      ],
    });
    expect(m.key).toEqual(Buffer.from('k'));
    expect(m.value).toEqual(Buffer.from('{x'));
    expect(m.headers).toMatchObject({
      [DLQ_HEADERS.reason]: 'invalid_json',
      [DLQ_HEADERS.detail]: 'Unexpected token (+1 more)',
      [DLQ_HEADERS.rejects]: '2',
      [DLQ_HEADERS.partition]: '2',
      [DLQ_HEADERS.offset]: '42',
      [DLQ_HEADERS.topic]: 'flows',
    });
  });
});
