import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { waitFor, type RunningServer } from '../harness/server.js';
import { createTopic, uniqueTopic } from '../kafka/topics.js';
import { badMessages } from './badRecords.js';
import {
  byCountry,
  metric,
  produce,
  startKafkaServer,
  trafficByCountry,
  windowFor,
} from './surgewatch.js';
import { encodeMessages, makeFlows, sumInto } from './testFlows.js';

const MAX_MESSAGE_BYTES = 16_384;

interface DlqRecord {
  reason: string;
  detail: string;
  partition: string;
  offset: string;
  value: Buffer | null;
}

async function readDlq(brokers: string[], topic: string, want: number): Promise<DlqRecord[]> {
  const kafka = new Kafka({ clientId: 'surgewatch-test-dlq', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueTopic('dlq-reader'), maxWaitTimeInMs: 100 });
  const out: DlqRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`DLQ held ${out.length} of ${want} records`)),
        30_000,
      );
      consumer
        .run({
          eachMessage: async ({ message }) => {
            const h = (k: string) => String(message.headers?.[k] ?? '');
            out.push({
              reason: h('surgewatch-reason'),
              detail: h('surgewatch-detail'),
              partition: h('surgewatch-source-partition'),
              offset: h('surgewatch-source-offset'),
              value: message.value,
            });
            if (out.length >= want) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

// One of each bad-record kind mixed into good traffic: each is counted by reason, sampled to
// <topic>.dlq with its reason, the good records still add up exactly, and the server serves.
describe('bad records through Kafka', () => {
  const brokers = inject('kafkaBrokers');
  let server: RunningServer | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it('counts each by reason, samples it to the DLQ and keeps the valid sums exact', async () => {
    const topic = uniqueTopic('bad');
    await createTopic(brokers, topic, 2);
    const now = Date.now();
    const before = makeFlows(300, now, 1);
    const after = makeFlows(300, now, 2);
    const good = {
      ts: now - 3_000,
      src: '85.214.7.7',
      dst: '203.0.113.10',
      sport: 40000,
      dport: 443,
      proto: 6,
      bytes: 1500,
      packets: 3,
    };
    const bad = badMessages(good, now, MAX_MESSAGE_BYTES);
    await produce(brokers, topic, [
      ...encodeMessages('surgewatch', before.flows, 20),
      ...bad.map((b) => b.value),
      ...encodeMessages('goflow2-pb', after.flows, 20),
    ]);

    const expected = new Map(before.expected);
    sumInto(expected, after.expected);
    // the valid first line of the not_an_object message
    sumInto(expected, new Map([['DE', { bytes: 1500, packets: 3, flows: 1 }]]));
    const totalFlows = before.total.flows + after.total.flows + 1;

    server = await startKafkaServer({
      brokers,
      topic,
      groupId: uniqueTopic('g'),
      kafka: { maxMessageBytes: MAX_MESSAGE_BYTES, dlq: { enabled: true, maxPerSec: 1000 } },
    });
    const url = server.url;
    const { from, to } = windowFor(Math.min(before.minStart, after.minStart), now);
    const r = await waitFor(async () => {
      const t = await trafficByCountry(url, from, to);
      return t.totals.flows >= totalFlows ? t : null;
    }, 45_000);
    expect(byCountry(r)).toEqual(expected);
    expect(r.totals.flows).toBe(totalFlows);

    // every reason exactly once
    await waitFor(
      async () => (await metric(url, 'surgewatch_kafka_dlq_writes_total')) >= bad.length,
      15_000,
    );
    for (const b of bad) {
      expect({
        reason: b.reason,
        count: await metric(url, 'surgewatch_decode_errors_total', { reason: b.reason }),
      }).toEqual({ reason: b.reason, count: 1 });
    }

    const dlq = await readDlq(brokers, `${topic}.dlq`, bad.length);
    expect(dlq.map((d) => d.reason).sort()).toEqual(bad.map((b) => b.reason).sort());
    for (const d of dlq) {
      const original = bad.find((b) => b.reason === d.reason);
      expect(d.value, d.reason).toEqual(original?.value);
      expect(d.detail.length, d.reason).toBeGreaterThan(0);
      expect(Number(d.partition)).toBeGreaterThanOrEqual(0);
      expect(Number(d.offset)).toBeGreaterThanOrEqual(0);
    }

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const status = await (await fetch(`${url}/readyz`)).json();
    expect(status).toMatchObject({ status: 'ready' });
  });
});
