import { describe, expect, it } from 'vitest';
import {
  consumerConfig,
  kafkaClientConfig,
  maxBytesPerPartition,
  type KafkaSourceConfig,
} from './kafkaConfig.js';
import { KafkaSourceError } from './kafkaErrors.js';

const base: KafkaSourceConfig = {
  brokers: ['k1:9092', 'k2:9092'],
  topic: 'flows',
  groupId: 'surgewatch',
  clientId: 'sw',
  format: 'auto',
  fromBeginning: false,
  defaultSampling: 1,
  maxMessageBytes: 1_048_576,
  maxFutureMs: 60_000,
  maxPastMs: 86_400_000,
  dlq: { enabled: true, maxPerSec: 10 },
  instanceId: 'sw-a',
  partialsTopic: 'surgewatch.partials',
  commitIntervalMs: 1_000,
};
const files: Record<string, string> = { '/ca.pem': 'CA', '/cert.pem': 'CERT', '/key.pem': 'KEY' };
const readFile = (p: string): Buffer => {
  const text = files[p];
  if (text === undefined) throw new Error(`ENOENT: ${p}`);
  return Buffer.from(text);
};

describe('kafkaClientConfig', () => {
  it('maps brokers and client id, with no TLS or SASL by default', () => {
    const c = kafkaClientConfig(base, readFile);
    expect(c.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(c.clientId).toBe('sw');
    expect(c.ssl).toBeUndefined();
    expect(c.sasl).toBeUndefined();
    expect(c.connectionTimeout).toBeLessThanOrEqual(5_000);
  });

  it('ssl: true uses the system CAs; ssl: false is plaintext', () => {
    expect(kafkaClientConfig({ ...base, ssl: true }, readFile).ssl).toBe(true);
    expect(kafkaClientConfig({ ...base, ssl: false }, readFile).ssl).toBeUndefined();
  });

  it('ssl files are read into PEM buffers; rejectUnauthorized passes through', () => {
    const c = kafkaClientConfig(
      {
        ...base,
        ssl: { ca: '/ca.pem', cert: '/cert.pem', key: '/key.pem', rejectUnauthorized: false },
      },
      readFile,
    );
    expect(c.ssl).toEqual({
      ca: [Buffer.from('CA')],
      cert: Buffer.from('CERT'),
      key: Buffer.from('KEY'),
      rejectUnauthorized: false,
    });
  });

  it('an unreadable ssl file is a non-retriable ssl_files error naming the file', () => {
    try {
      kafkaClientConfig({ ...base, ssl: { ca: '/missing.pem' } }, readFile);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(KafkaSourceError);
      expect(err).toMatchObject({ code: 'ssl_files', retriable: false });
      expect((err as Error).message).toContain('/missing.pem');
    }
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)(
    'sasl %s maps to kafkajs',
    (mechanism) => {
      const c = kafkaClientConfig(
        { ...base, ssl: true, sasl: { mechanism, username: 'u', password: 'p' } },
        readFile,
      );
      expect(c.sasl).toEqual({ mechanism, username: 'u', password: 'p' });
    },
  );
});

describe('consumerConfig', () => {
  it('fetches at least one maximal message per partition and bounds the whole fetch', () => {
    const c = consumerConfig({ ...base, maxMessageBytes: 8 * 1024 * 1024 });
    expect(c.maxBytesPerPartition).toBeGreaterThan(8 * 1024 * 1024);
    expect(c.maxBytes).toBeGreaterThanOrEqual(c.maxBytesPerPartition as number);
    expect(c.groupId).toBe('surgewatch');
    expect(c.allowAutoTopicCreation).toBe(false);
    expect(c.maxWaitTimeInMs).toBeLessThan(1_000);
    expect(maxBytesPerPartition({ maxMessageBytes: 1000 })).toBe(2 * 1024 * 1024);
  });
});
