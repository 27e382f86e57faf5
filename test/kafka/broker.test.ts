import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { createTopic, uniqueTopic } from './topics.js';

describe('the test broker', () => {
  const brokers = inject('kafkaBrokers');

  it('serves a produce and a consumer-group read on a fresh topic', async () => {
    const topic = uniqueTopic('broker-smoke');
    await createTopic(brokers, topic, 2);
    const kafka = new Kafka({ clientId: 'broker-smoke', brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'a', value: 'one' },
        { key: 'b', value: 'two' },
      ],
    });
    await producer.disconnect();

    const consumer = kafka.consumer({
      groupId: uniqueTopic('broker-smoke-group'),
      maxWaitTimeInMs: 100,
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      void consumer
        .run({
          eachMessage: async ({ message }) => {
            seen.push(String(message.value));
            if (seen.length === 2) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(seen.sort()).toEqual(['one', 'two']);
  });
});
