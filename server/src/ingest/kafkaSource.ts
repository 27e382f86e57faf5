import type { SourceStatus } from '@surgewatch/shared';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  consumerConfig,
  kafkaClientConfig,
  type KafkaSourceConfig,
  type ReadFile,
} from './kafkaConfig.js';
import { createBatchHandler, type BatchHandler } from './kafkaBatch.js';
import { createDeadLetterQueue } from './kafkaDlq.js';
import { classifyKafkaError, KafkaSourceError } from './kafkaErrors.js';
import { createKafkaHealth } from './kafkaHealth.js';
import { computeLag } from './kafkaLag.js';
import { kafkajsLogCreator } from './kafkaLogger.js';
import { kafkaMetrics } from './kafkaMetrics.js';
import { createRateMeter } from './kafkaRate.js';
import { createRecordDecoder } from './kafkaRecords.js';
import type { FlowSink, FlowSource } from './source.js';

export type { KafkaSourceConfig } from './kafkaConfig.js';
export { KafkaSourceError } from './kafkaErrors.js';

export interface KafkaSourceDeps {
  /** Enrich + aggregate; synchronous: when it returns the flows are aggregated. */
  sink: FlowSink;
  logger: Logger;
  registry: Registry;
  /** Wall clock, ms epoch. */
  now: () => number;
  /** True while aggregation is behind: consumption pauses until it is false again. */
  isBehind?: () => boolean;
  readFile?: ReadFile;
}

const MAINTAIN_EVERY_MS = 1_500;
const PROBE_TIMEOUT_MS = 2_500;
const BACKOFF_MS = { first: 1_000, max: 15_000 };

const sleepRef = (ms: number, timers: Set<NodeJS.Timeout>) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(() => (timers.delete(t), resolve()), ms);
    t.unref();
    timers.add(t);
  });

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

/**
 * The Kafka source: one consumer in group `groupId` reading `topic` with `eachBatch`. Each
 * chunk of messages is decoded, handed to the sink (which aggregates it before returning),
 * then its offsets are resolved and committed — never before. It reconnects by itself and
 * never ends the process: problems show in `status()` and the logs, with a code.
 */
export function createKafkaSource(cfg: KafkaSourceConfig, deps: KafkaSourceDeps): FlowSource {
  const log = deps.logger.child({
    component: 'kafka-source',
    topic: cfg.topic,
    groupId: cfg.groupId,
  });
  const metrics = kafkaMetrics(deps.registry);
  const rate = createRateMeter(5);
  const timers = new Set<NodeJS.Timeout>();
  const ctx = { brokers: cfg.brokers, topic: cfg.topic };
  /** Next offset to process, per partition: aggregated up to here by this process. */
  const processed = new Map<number, number>();

  let kafka: Kafka | undefined;
  let admin: Admin | undefined;
  let consumer: Consumer | undefined;
  let dlq: ReturnType<typeof createDeadLetterQueue> | undefined;
  let decoder: ReturnType<typeof createRecordDecoder> | undefined;
  let running = false;
  let stopping: Promise<void> | undefined;
  let connecting = false;
  let backoff = BACKOFF_MS.first;
  let batches: BatchHandler | undefined;
  let lag: number | null = null;
  const health = createKafkaHealth(
    { brokers: cfg.brokers, topic: cfg.topic, groupId: cfg.groupId },
    { logger: log, now: deps.now, onChange: (up) => metrics.connected.set(up ? 1 : 0) },
  );

  const instrument = (c: Consumer): void => {
    const { GROUP_JOIN, FETCH, CRASH, DISCONNECT, STOP, REQUEST_TIMEOUT, END_BATCH_PROCESS } =
      c.events;
    c.on(GROUP_JOIN, (e) => {
      metrics.rebalances.inc();
      backoff = BACKOFF_MS.first;
      health.consumerJoined(e.payload.memberAssignment[cfg.topic] ?? []);
    });
    c.on(FETCH, () => health.brokerAnswered());
    // batches of control records (transaction markers) or aborted data skip eachBatch
    c.on(END_BATCH_PROCESS, (e) => {
      if (e.payload.topic !== cfg.topic || e.payload.batchSize > 0) return;
      const next = Number(e.payload.lastOffset) + 1;
      if (next > (processed.get(e.payload.partition) ?? -1))
        processed.set(e.payload.partition, next);
    });
    c.on(REQUEST_TIMEOUT, (e) =>
      health.brokerFailed(
        new KafkaSourceError(
          'broker_unreachable',
          `request ${e.payload.apiName} to ${e.payload.broker} timed out`,
          { retriable: true },
        ),
      ),
    );
    c.on(DISCONNECT, () => health.consumerDown());
    c.on(STOP, () => health.consumerDown());
    c.on(CRASH, (e) => {
      metrics.restarts.inc();
      const restartsItself = e.payload.restart;
      const err = health.consumerDown(e.payload.error, restartsItself);
      if (!restartsItself && running && c === consumer) {
        // kafkajs gave up on this error: build a new consumer after a pause
        log.warn({ code: err?.code }, 'consumer stopped; restarting it');
        consumer = undefined;
        void c.disconnect().catch(() => undefined);
        scheduleConnect();
      }
    });
  };

  const connect = async (): Promise<void> => {
    const k = kafka as Kafka;
    const a = admin as Admin;
    await withTimeout(a.connect(), 15_000, 'admin connect');
    const topics = await withTimeout(a.listTopics(), PROBE_TIMEOUT_MS, 'listTopics');
    health.brokerAnswered();
    if (!topics.includes(cfg.topic)) {
      throw new KafkaSourceError(
        'topic_missing',
        `Kafka topic "${cfg.topic}" does not exist on ${cfg.brokers.join(',')}: create it (or fix kafka.topic)`,
        {
          retriable: true,
        },
      );
    }
    await dlq?.start(a);
    if (!running) return;
    const c = k.consumer(consumerConfig(cfg));
    instrument(c);
    consumer = c;
    try {
      await c.connect();
      await c.subscribe({ topics: [cfg.topic], fromBeginning: cfg.fromBeginning });
      await c.run({
        eachBatchAutoResolve: false,
        autoCommit: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (batches as BatchHandler).eachBatch(c),
      });
    } catch (err) {
      consumer = undefined;
      await c.disconnect().catch(() => undefined);
      throw err;
    }
    if (!running) await c.disconnect().catch(() => undefined);
  };

  /** One connection attempt; on failure, the next after an exponential backoff. */
  const attempt = async (): Promise<void> => {
    if (connecting || consumer || !running) return;
    connecting = true;
    try {
      await connect();
    } catch (err) {
      const e = classifyKafkaError(err, ctx);
      if (e.code === 'broker_unreachable') health.brokerFailed(e);
      else health.failed(e);
      scheduleConnect();
    } finally {
      connecting = false;
    }
  };

  const scheduleConnect = (): void => {
    if (!running) return;
    const delay = backoff;
    backoff = Math.min(backoff * 2, BACKOFF_MS.max);
    void sleepRef(delay, timers).then(attempt);
  };

  /** Every few seconds: probe the broker (the watermarks call) and refresh the lag. */
  const maintain = async (): Promise<void> => {
    const a = admin;
    if (!a || !running) return;
    let watermarks;
    try {
      watermarks = await withTimeout(
        a.fetchTopicOffsets(cfg.topic),
        PROBE_TIMEOUT_MS,
        'fetchTopicOffsets',
      );
      health.brokerAnswered();
    } catch (err) {
      const e = classifyKafkaError(err, ctx);
      if (e.code === 'topic_missing') health.failed(e);
      else health.brokerFailed(e);
    }
    if (watermarks) {
      let committed = new Map<number, number>();
      try {
        const groups = await withTimeout(
          a.fetchOffsets({ groupId: cfg.groupId, topics: [cfg.topic] }),
          PROBE_TIMEOUT_MS,
          'fetchOffsets',
        );
        committed = new Map(
          (groups[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)] as const),
        );
      } catch (err) {
        // the group coordinator can be loading or moving: our own progress still gives the lag
        log.debug({ err }, 'could not read committed offsets');
      }
      const report = computeLag(watermarks, committed, processed, cfg.fromBeginning);
      lag = report.total;
      for (const [partition, n] of report.byPartition) metrics.lag.labels(String(partition)).set(n);
    }
    if (running && !consumer) void attempt();
  };

  const maintainLoop = async (): Promise<void> => {
    while (running) {
      await sleepRef(MAINTAIN_EVERY_MS, timers);
      if (running) await maintain();
    }
  };

  return {
    name: 'kafka-source',
    async start() {
      if (running) return;
      // unreadable TLS files are a configuration error: fail start-up (thrown from here)
      const client = kafkaClientConfig(cfg, deps.readFile ?? ((p) => readFileSync(p)));
      const level = deps.logger.isLevelEnabled('debug')
        ? logLevel.DEBUG
        : deps.logger.isLevelEnabled('info')
          ? logLevel.INFO
          : logLevel.WARN;
      kafka = new Kafka({ ...client, logLevel: level, logCreator: kafkajsLogCreator(log) });
      admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 } });
      dlq = createDeadLetterQueue(
        { kafka, sourceTopic: cfg.topic, ...cfg.dlq },
        { logger: log, metrics },
      );
      decoder = createRecordDecoder(cfg, { metrics, dlq, logger: log });
      batches = createBatchHandler({
        topic: cfg.topic,
        decoder,
        sink: deps.sink,
        now: deps.now,
        logger: log,
        metrics,
        rate,
        processed,
        isBehind: deps.isBehind,
        isCurrent: (c) => running && c === consumer,
        timers,
      });
      running = true;
      log.info({ brokers: cfg.brokers, format: cfg.format }, 'connecting to Kafka');
      await attempt();
      void maintainLoop();
    },
    stop() {
      stopping ??= (async () => {
        running = false;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        const c = consumer;
        consumer = undefined;
        try {
          await c?.disconnect();
        } catch (err) {
          log.warn({ err }, 'consumer disconnect failed');
        }
        await dlq?.stop();
        try {
          await admin?.disconnect();
        } catch {
          /* stop never throws */
        }
        health.consumerDown();
      })();
      return stopping;
    },
    status(): SourceStatus {
      const connected = running && health.connected;
      let message = health.message();
      if (!running) message = 'stopped';
      else if (connected && batches?.paused)
        message = `paused: aggregation is behind (topic ${cfg.topic})`;
      return {
        kind: 'kafka',
        connected,
        lag,
        recordsPerSec: rate.perSec(deps.now()),
        decodeErrors: decoder?.totals.decodeErrors ?? 0,
        lastRecordTs: decoder?.totals.lastRecordTs ?? null,
        message,
      };
    },
  };
}
