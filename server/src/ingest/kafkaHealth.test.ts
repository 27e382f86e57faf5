import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { KafkaSourceError } from './kafkaErrors.js';
import { createKafkaHealth } from './kafkaHealth.js';

function setup() {
  const changes: boolean[] = [];
  const health = createKafkaHealth(
    { brokers: ['127.0.0.1:9'], topic: 'flows', groupId: 'g' },
    { logger: pino({ level: 'silent' }), now: () => 0, onChange: (up) => changes.push(up) },
  );
  return { health, changes };
}

describe('createKafkaHealth', () => {
  it('is connected only when the broker answers and the consumer is in its group', () => {
    const { health, changes } = setup();
    expect(health.connected).toBe(false);
    expect(health.message()).toBe('connecting to 127.0.0.1:9');
    health.brokerAnswered();
    expect(health.connected).toBe(false);
    expect(health.message()).toBe('broker reachable; consumer joining group g');
    health.consumerJoined([0, 2]);
    expect(health.connected).toBe(true);
    expect(health.message()).toBe('consuming flows (partitions 0,2)');
    expect(changes).toEqual([false, true]);
  });

  it('says why it is down, and forgets the problem once connected again', () => {
    const { health } = setup();
    health.consumerJoined([0]);
    const e = health.brokerFailed(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
        name: 'KafkaJSConnectionError',
      }),
    );
    expect(e.code).toBe('broker_unreachable');
    expect(health.connected).toBe(false);
    expect(health.message()).toContain('Kafka broker unreachable: 127.0.0.1:9');
    health.brokerAnswered();
    expect(health.connected).toBe(true);
    expect(health.problem).toBeUndefined();
  });

  it('a dropped consumer does not claim the broker still answers', () => {
    const { health } = setup();
    health.consumerJoined([0]);
    health.consumerDown();
    expect(health.connected).toBe(false);
    expect(health.brokerOk).toBe(false);
    expect(health.message()).toBe('consumer lost its connection; reconnecting to 127.0.0.1:9');
    health.brokerAnswered();
    expect(health.message()).toBe('broker reachable; consumer joining group g');
    health.consumerJoined([0]);
    expect(health.message()).toBe('consuming flows (partitions 0)');
  });

  it('a missing topic stays the message while the broker answers', () => {
    const { health } = setup();
    health.brokerAnswered();
    health.failed(
      new KafkaSourceError('topic_missing', 'Kafka topic "flows" does not exist', {
        retriable: true,
      }),
    );
    expect(health.message()).toBe('Kafka topic "flows" does not exist');
  });
});
