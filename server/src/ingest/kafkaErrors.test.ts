import { describe, expect, it } from 'vitest';
import { classifyKafkaError, KafkaSourceError } from './kafkaErrors.js';

const ctx = { brokers: ['127.0.0.1:1', '127.0.0.1:2'], topic: 'flows' };
function kafkaError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('classifyKafkaError', () => {
  it('connection failures are broker_unreachable, retriable, and name the brokers', () => {
    const cause = kafkaError(
      'KafkaJSConnectionError',
      'Connection error: connect ECONNREFUSED 127.0.0.1:1',
    );
    const e = classifyKafkaError(
      kafkaError('KafkaJSNonRetriableError', 'retries exhausted', { cause }),
      ctx,
    );
    expect(e).toMatchObject({ code: 'broker_unreachable', retriable: true });
    expect(e.message).toContain('127.0.0.1:1,127.0.0.1:2');
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('an unknown topic is topic_missing and names the topic', () => {
    const e = classifyKafkaError(
      kafkaError('KafkaJSProtocolError', 'This server does not host this topic-partition', {
        type: 'UNKNOWN_TOPIC_OR_PARTITION',
      }),
      ctx,
    );
    expect(e.code).toBe('topic_missing');
    expect(e.message).toContain('"flows"');
  });

  it('SASL failures are auth_failed', () => {
    expect(
      classifyKafkaError(
        kafkaError('KafkaJSSASLAuthenticationError', 'SASL SCRAM SHA256 authentication failed'),
        ctx,
      ).code,
    ).toBe('auth_failed');
  });

  it('keeps a KafkaSourceError as it is and wraps anything else', () => {
    const own = new KafkaSourceError('topic_missing', 'x', { retriable: true });
    expect(classifyKafkaError(own, ctx)).toBe(own);
    const other = classifyKafkaError('weird', ctx);
    expect(other).toMatchObject({ code: 'kafka_error', retriable: true, cause: 'weird' });
  });
});
