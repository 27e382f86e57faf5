import type { Alert, Silence } from '@surgewatch/shared';
import { Kafka, logLevel, Partitioners, type Message, type Producer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Component } from '../lifecycle.js';
import { kafkaClientConfig, restoreConsumerConfig, type KafkaSourceConfig } from './kafkaConfig.js';
import { kafkajsLogCreator } from './kafkaLogger.js';

export type KafkaAlertStoreConfig = Pick<
  KafkaSourceConfig,
  'brokers' | 'clientId' | 'ssl' | 'sasl' | 'groupId' | 'instanceId'
> & {
  /** The durable alert history: compacted, keyed `alert:<id>` / `silence:<id>`. */
  alertsTopic: string;
};

/** How long start-up waits for the replay before going on with what it has, ms. */
const REPLAY_TIMEOUT_MS = 30_000;

type Record_ = { type: 'alert'; alert: Alert } | { type: 'silence'; silence: Silence };

/**
 * Alerts and silences in memory, every write also produced to `surgewatch.alerts` (compacted,
 * one partition so the history stays in order; a deletion is a tombstone), and the topic
 * replayed into memory at start-up — so alert history and acknowledgements survive restarts.
 * Writes are batched per turn of the event loop and sent in order. Structurally an
 * `AlertStore` (server/src/detect/store.ts); start it before anything evaluates.
 */
export function createKafkaAlertStore(cfg: KafkaAlertStoreConfig, deps: { logger: Logger }) {
  const log = deps.logger.child({ component: 'alert-store' });
  const alerts = new Map<string, Alert>();
  const silences = new Map<string, Silence>();
  const kafka = new Kafka({
    ...kafkaClientConfig(cfg, readFileSync),
    logLevel: logLevel.WARN,
    logCreator: kafkajsLogCreator(log),
  });
  let producer: Producer | undefined;
  let queue: Message[] = [];
  let scheduled = false;
  let chain: Promise<void> = Promise.resolve();

  const flush = (): void => {
    scheduled = false;
    if (!producer || queue.length === 0) return;
    const p = producer;
    const messages = queue;
    queue = [];
    chain = chain
      .then(() => p.send({ topic: cfg.alertsTopic, messages }))
      .then(
        () => undefined,
        (err: unknown) =>
          log.error({ err, records: messages.length }, 'alert history write failed'),
      );
  };
  const write = (key: string, value: Record_ | null): void => {
    queue.push({ key, value: value ? JSON.stringify(value) : null });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  const apply = (key: string, value: Buffer | null): void => {
    const [kind, ...rest] = key.split(':');
    const id = rest.join(':');
    if (!value) {
      if (kind === 'alert') alerts.delete(id);
      else silences.delete(id);
      return;
    }
    const r = JSON.parse(value.toString('utf8')) as Record_;
    if (r.type === 'alert') alerts.set(r.alert.id, r.alert);
    else silences.set(r.silence.id, r.silence);
  };

  const ensureTopic = async (): Promise<void> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(cfg.alertsTopic)) {
        await admin
          .createTopics({
            waitForLeaders: true,
            topics: [
              {
                topic: cfg.alertsTopic,
                numPartitions: 1,
                configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
              },
            ],
          })
          .catch((err: unknown) => log.debug({ err }, 'alerts topic exists already'));
      }
    } finally {
      await admin.disconnect();
    }
  };

  const replay = async (): Promise<number> => {
    const admin = kafka.admin();
    await admin.connect();
    const ends = new Map(
      (await admin.fetchTopicOffsets(cfg.alertsTopic))
        .filter((p) => Number(p.high) > Number(p.low))
        .map((p) => [p.partition, Number(p.high)] as const),
    );
    await admin.disconnect();
    if (ends.size === 0) return 0;
    const consumer = kafka.consumer(restoreConsumerConfig(cfg, randomBytes(4).toString('hex')));
    let records = 0;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: cfg.alertsTopic, fromBeginning: true });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          log.warn({ records }, 'alert history replay timed out; going on with what was read');
          resolve();
        }, REPLAY_TIMEOUT_MS);
        void consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            records++;
            try {
              if (message.key) apply(message.key.toString('utf8'), message.value);
            } catch (err) {
              log.warn({ err, offset: message.offset }, 'unreadable alert history record skipped');
            }
            const end = ends.get(partition);
            if (end !== undefined && Number(message.offset) + 1 >= end) ends.delete(partition);
            if (ends.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return records;
  };

  const component: Component = {
    name: 'alert-store',
    async start() {
      await ensureTopic();
      const records = await replay();
      log.info({ records, alerts: alerts.size, silences: silences.size }, 'alert history replayed');
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      flush();
    },
    async stop() {
      try {
        flush();
        await chain;
        await producer?.disconnect();
      } catch (err) {
        log.warn({ err }, 'alert store stop failed');
      }
    },
  };

  return {
    ...component,
    get: (id: string) => alerts.get(id),
    list: () => [...alerts.values()].sort((a, b) => b.startedAt - a.startedAt),
    put(alert: Alert) {
      alerts.set(alert.id, alert);
      write(`alert:${alert.id}`, { type: 'alert', alert });
    },
    remove(id: string) {
      alerts.delete(id);
      write(`alert:${id}`, null);
    },
    silences: () => [...silences.values()],
    putSilence(silence: Silence) {
      silences.set(silence.id, silence);
      write(`silence:${silence.id}`, { type: 'silence', silence });
    },
    removeSilence(id: string) {
      const had = silences.delete(id);
      if (had) write(`silence:${id}`, null);
      return had;
    },
  };
}
