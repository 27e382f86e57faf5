import type { Acknowledgement, Alert, AlertHistoryEntry, Silence } from '@surgewatch/shared';
import { Kafka, logLevel, Partitioners, type Consumer, type Message, type Producer } from 'kafkajs';
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

/** Header naming the instance that wrote a record: an instance skips its own when tailing. */
const INSTANCE_HEADER = 'surgewatch-instance';

/** An acknowledgement made on another instance, with its history entry. */
interface RemoteAck {
  ack: Acknowledgement;
  entry: AlertHistoryEntry | undefined;
}

/**
 * Alerts and silences in memory, every write also produced to `surgewatch.alerts` (compacted,
 * one partition so the history stays in order; a deletion is a tombstone), and the topic
 * replayed into memory at start-up — so alert history and acknowledgements survive restarts.
 * Writes are batched per turn of the event loop and sent in order. Structurally an
 * `AlertStore` (server/src/detect/store.ts); start it before anything evaluates.
 *
 * Several instances: each detects on the same merged view, so each writes the same alerts
 * under the same ids itself. What only one of them knows is what a person did there: after
 * the replay the topic is tailed, and another instance's acknowledgement is taken into the
 * local alert (or kept until detection here creates it) and announced through `onRemote`;
 * its silences are taken as they are. Records carry the writer's instance id in a header so
 * an instance skips its own.
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
  let tail: Consumer | undefined;
  /** Acknowledgements from other instances of alerts this one has not created (yet). */
  const remoteAcks = new Map<string, RemoteAck>();
  const remoteListeners = new Set<(alert: Alert) => void>();

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
    queue.push({
      key,
      value: value ? JSON.stringify(value) : null,
      headers: { [INSTANCE_HEADER]: cfg.instanceId },
    });
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

  /** Takes `ack` into `local` unless it holds that one or a later one; true if it did. */
  const takeAck = (local: Alert, r: RemoteAck): boolean => {
    if (local.ack && local.ack.at >= r.ack.at) return false;
    local.ack = { ...r.ack };
    if (r.entry) {
      const e = r.entry;
      local.history ??= [];
      if (!local.history.some((h) => h.event === e.event && h.at === e.at && h.by === e.by)) {
        local.history.push({ ...e });
      }
    }
    local.updatedAt = Math.max(local.updatedAt, r.ack.at);
    return true;
  };

  /** A record another instance wrote, read after the replay. */
  const applyRemote = (key: string, value: Buffer | null): void => {
    if (!value) {
      // a silence ended early by hand ends everywhere; alerts each instance prunes by itself
      if (key.startsWith('silence:')) silences.delete(key.slice('silence:'.length));
      return;
    }
    const r = JSON.parse(value.toString('utf8')) as Record_;
    if (r.type === 'silence') {
      silences.set(r.silence.id, r.silence);
      return;
    }
    const remote = r.alert;
    if (!remote.ack || !key.startsWith('alert:')) return;
    const ack: RemoteAck = {
      ack: remote.ack,
      entry: [...(remote.history ?? [])]
        .reverse()
        .find((h) => h.event === 'acknowledged' && h.at === remote.ack?.at),
    };
    const local = alerts.get(remote.id);
    if (!local) {
      const kept = remoteAcks.get(remote.id);
      if (!kept || kept.ack.at < ack.ack.at) remoteAcks.set(remote.id, ack);
      return;
    }
    if (!takeAck(local, ack)) return;
    // written again so that a restart of this instance replays it with the acknowledgement
    write(`alert:${local.id}`, { type: 'alert', alert: local });
    for (const l of remoteListeners) l(structuredClone(local));
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

  /**
   * Replays the topic into memory and resolves when it reached the end it had at the start
   * (or after REPLAY_TIMEOUT_MS with what it read); the consumer then stays, tailing other
   * instances' writes. A throwaway group that never commits: its position is re-applied
   * after every (re)join.
   */
  const replay = async (): Promise<number> => {
    const admin = kafka.admin();
    await admin.connect();
    const ends = new Map(
      (await admin.fetchTopicOffsets(cfg.alertsTopic))
        .filter((p) => Number(p.high) > Number(p.low))
        .map((p) => [p.partition, Number(p.high)] as const),
    );
    await admin.disconnect();
    const consumer = kafka.consumer(restoreConsumerConfig(cfg, randomBytes(4).toString('hex')));
    tail = consumer;
    const positions = new Map<number, number>();
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (joined) {
        for (const [partition, offset] of positions) {
          consumer.seek({ topic: cfg.alertsTopic, partition, offset: String(offset) });
        }
      }
      joined = true;
    });
    let records = 0;
    let replaying = true;
    await consumer.connect();
    await consumer.subscribe({ topic: cfg.alertsTopic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const done = (): void => {
        if (!replaying) return;
        replaying = false;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        log.warn({ records }, 'alert history replay timed out; going on with what was read');
        done();
      }, REPLAY_TIMEOUT_MS);
      if (ends.size === 0) done();
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const offset = Number(message.offset);
          if (offset < (positions.get(partition) ?? 0)) return;
          positions.set(partition, offset + 1);
          const key = message.key?.toString('utf8');
          try {
            if (replaying) {
              records++;
              if (key) apply(key, message.value);
            } else if (key && message.headers?.[INSTANCE_HEADER]?.toString() !== cfg.instanceId) {
              applyRemote(key, message.value);
            }
          } catch (err) {
            log.warn({ err, offset: message.offset }, 'unreadable alert history record skipped');
          }
          const end = ends.get(partition);
          if (end !== undefined && offset + 1 >= end) ends.delete(partition);
          if (ends.size === 0) done();
        },
      });
    });
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
        await tail?.disconnect();
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
      const kept = remoteAcks.get(alert.id);
      if (kept) {
        remoteAcks.delete(alert.id);
        takeAck(alert, kept);
      }
      alerts.set(alert.id, alert);
      write(`alert:${alert.id}`, { type: 'alert', alert });
    },
    /** Calls `listener` with an alert another instance changed here (an acknowledgement). */
    onRemote(listener: (alert: Alert) => void) {
      remoteListeners.add(listener);
      return () => void remoteListeners.delete(listener);
    },
    remove(id: string) {
      remoteAcks.delete(id);
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
