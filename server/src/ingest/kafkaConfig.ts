import type { ConsumerConfig, KafkaConfig, ProducerConfig, SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import type { InputFormat } from './decode/types.js';
import { KafkaSourceError } from './kafkaErrors.js';

/** The validated `kafka:` section of the configuration (server/src/config/schema.ts). */
export interface KafkaSourceConfig {
  brokers: string[];
  topic: string;
  groupId: string;
  clientId: string;
  format: InputFormat;
  /** Where a group with no committed offset starts: the oldest record, or new records only. */
  fromBeginning: boolean;
  /** Sampling rate assumed when a record says 0 / unknown. */
  defaultSampling: number;
  /** Larger messages are rejected as `oversized`, bytes. */
  maxMessageBytes: number;
  /** Flow ends further ahead than this are rejected, ms. */
  maxFutureMs: number;
  /** Flow ends older than this are rejected, ms. */
  maxPastMs: number;
  dlq: { enabled: boolean; maxPerSec: number };
  /** Stable name of this instance: partial label and part of the transactional id. */
  instanceId: string;
  /** Topic of the per-second delta partials (the durable aggregation state). */
  partialsTopic: string;
  /** Longest time consumed records wait for their checkpoint transaction, ms. */
  commitIntervalMs: number;
  /** `true`: TLS with the system CAs; an object: PEM file paths and verification. */
  ssl?: boolean | { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  sasl?: {
    mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    username: string;
    password: string;
  };
}

/** Reads a PEM file; injected so the mapping stays testable without files. */
export type ReadFile = (path: string) => Buffer;

/** TLS options for kafkajs; reads the PEM files named in the config. */
export function tlsOptions(
  ssl: KafkaSourceConfig['ssl'],
  readFile: ReadFile,
): ConnectionOptions | boolean | undefined {
  if (ssl === undefined || ssl === false) return undefined;
  if (ssl === true) return true;
  const read = (what: string, path: string): Buffer => {
    try {
      return readFile(path);
    } catch (cause) {
      throw new KafkaSourceError(
        'ssl_files',
        `cannot read kafka.ssl.${what} file ${path}: ${(cause as Error).message}`,
        {
          retriable: false,
          cause,
        },
      );
    }
  };
  const out: ConnectionOptions = {};
  if (ssl.ca) out.ca = [read('ca', ssl.ca)];
  if (ssl.cert) out.cert = read('cert', ssl.cert);
  if (ssl.key) out.key = read('key', ssl.key);
  if (ssl.rejectUnauthorized !== undefined) out.rejectUnauthorized = ssl.rejectUnauthorized;
  return out;
}

/** SASL options for kafkajs (PLAIN and SCRAM share one shape). */
export function saslOptions(sasl: KafkaSourceConfig['sasl']): SASLOptions | undefined {
  if (!sasl) return undefined;
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/**
 * The kafkajs client options: short connection timeouts and a bounded retry so an
 * unreachable broker is reported within seconds; the source's supervisor retries forever.
 */
export function kafkaClientConfig(
  cfg: Pick<KafkaSourceConfig, 'brokers' | 'clientId' | 'ssl' | 'sasl'>,
  readFile: ReadFile,
): KafkaConfig {
  const out: KafkaConfig = {
    clientId: cfg.clientId,
    brokers: [...cfg.brokers],
    connectionTimeout: 3_000,
    authenticationTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 5 },
  };
  const ssl = tlsOptions(cfg.ssl, readFile);
  if (ssl !== undefined) out.ssl = ssl;
  const sasl = saslOptions(cfg.sasl);
  if (sasl) out.sasl = sasl;
  return out;
}

/** Bytes fetched per partition per request: at least one maximal message plus framing. */
export function maxBytesPerPartition(cfg: Pick<KafkaSourceConfig, 'maxMessageBytes'>): number {
  return Math.max(2 * 1024 * 1024, cfg.maxMessageBytes + 64 * 1024);
}

/**
 * Consumer group options. Fetches wait for 64 KiB or 200 ms, whichever comes first: big
 * batches under load, sub-second latency when idle (a live dashboard). `maxBytes` bounds
 * one fetch response across partitions.
 */
export function consumerConfig(cfg: KafkaSourceConfig): ConsumerConfig {
  const perPartition = maxBytesPerPartition(cfg);
  return {
    groupId: cfg.groupId,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: perPartition,
    maxBytes: Math.max(16 * 1024 * 1024, 4 * perPartition),
    minBytes: 64 * 1024,
    maxWaitTimeInMs: 200,
    // After a broker restart the group still holds the member that crashed until its session
    // expires: a short session brings the consumer back sooner.
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    rebalanceTimeout: 60_000,
    readUncommitted: false,
    retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 5 },
  };
}

/** One transactional id per instance and group: a restarted instance fences its predecessor. */
export function transactionalId(cfg: Pick<KafkaSourceConfig, 'groupId' | 'instanceId'>): string {
  return `${cfg.groupId}-${cfg.instanceId}`;
}

/**
 * The checkpoint producer: transactional (partials and input offsets commit together),
 * hence idempotent with one request in flight. The transaction timeout bounds how long a
 * crashed instance's open transaction can hold back read_committed readers when no
 * successor with the same id comes back to abort it: with several instances, every peer's
 * view of the partials partitions it wrote stalls that long (a transaction lasts one
 * produce-and-commit, far below it).
 */
export function checkpointProducerConfig(
  cfg: Pick<KafkaSourceConfig, 'groupId' | 'instanceId'>,
): ProducerConfig {
  return {
    transactionalId: transactionalId(cfg),
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 15_000,
    allowAutoTopicCreation: false,
    retry: { initialRetryTime: 300, maxRetryTime: 3_000, retries: 5 },
  };
}

/**
 * The start-up reader of the partials topic: a throwaway group (it never commits) reading
 * committed transactions only, with fetches large enough for an hour of partials.
 */
export function restoreConsumerConfig(
  cfg: Pick<KafkaSourceConfig, 'groupId' | 'instanceId'>,
  suffix: string,
): ConsumerConfig {
  return {
    groupId: `${cfg.groupId}-restore-${cfg.instanceId}-${suffix}`,
    allowAutoTopicCreation: false,
    readUncommitted: false,
    maxBytesPerPartition: 16 * 1024 * 1024,
    maxBytes: 64 * 1024 * 1024,
    minBytes: 1,
    maxWaitTimeInMs: 100,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    retry: { initialRetryTime: 300, maxRetryTime: 3_000, retries: 5 },
  };
}
