import { afterEach, describe, expect, inject, it } from 'vitest';
import { waitFor, type RunningServer } from '../harness/server.js';
import { createTopic, uniqueTopic } from '../kafka/topics.js';
import {
  byCountry,
  metric,
  produce,
  startKafkaServer,
  trafficByCountry,
  windowFor,
} from './surgewatch.js';
import { encodeMessages, FORMATS, makeFlows } from './testFlows.js';

// Each collector format through a real broker into the real server: the per-country sums
// the API answers must equal what was produced, exactly.
describe.each(FORMATS)('format %s through Kafka', (format) => {
  const brokers = inject('kafkaBrokers');
  let server: RunningServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('aggregates per-country bytes, packets and flows exactly', async () => {
    const topic = uniqueTopic(`fmt-${format}`);
    await createTopic(brokers, topic, 3);
    const set = makeFlows(600, Date.now());
    const values = encodeMessages(format, set.flows, 25);
    await produce(brokers, topic, values);

    server = await startKafkaServer({ brokers, topic, groupId: uniqueTopic('g') });
    const { from, to } = windowFor(set.minStart, set.maxEnd);
    const url = server.url;
    const r = await waitFor(async () => {
      const t = await trafficByCountry(url, from, to);
      return t.totals.flows >= set.total.flows ? t : null;
    }, 45_000);

    expect(r.totals).toEqual(set.total);
    expect(byCountry(r)).toEqual(set.expected);
    expect(await metric(url, 'surgewatch_kafka_messages_total')).toBe(values.length);
    expect(await metric(url, 'surgewatch_kafka_records_total')).toBe(set.flows.length);
    for (const reason of ['invalid_json', 'binary_garbage', 'unknown_format']) {
      expect(await metric(url, 'surgewatch_decode_errors_total', { reason })).toBe(0);
    }
  });
});
