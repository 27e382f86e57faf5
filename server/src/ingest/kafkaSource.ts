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
import { createCheckpointer, type Checkpointer } from './kafkaCheckpoint.js';
import { createDeadLetterQueue } from './kafkaDlq.js';
import { classifyKafkaError, topicMissing } from './kafkaErrors.js';
import { createKafkaHealth } from './kafkaHealth.js';
import { createJoinGuard, type JoinGuard } from './kafkaJoin.js';
import { instrumentConsumer } from './kafkaInstrument.js';
import { committedOffsets, probeLag } from './kafkaLag.js';
import { kafkajsLogCreator } from './kafkaLogger.js';
import { kafkaMetrics } from './kafkaMetrics.js';
import { createPeerReader, type PeerReader } from './kafkaPeers.js';
import { createRateMeter } from './kafkaRate.js';
import { createRecordDecoder } from './kafkaRecords.js';
import { ensurePartialsTopic, restorePartials } from './kafkaRestore.js';
import { sleepRef, withTimeout } from './kafkaTimers.js';
import type { CheckpointSink, FlowSource } from './source.js';

export type { KafkaSourceConfig } from './kafkaConfig.js';
export { KafkaSourceError } from './kafkaErrors.js';

export interface KafkaSourceDeps {
  /** Enrich + aggregate, staged until each checkpoint commits; restore at start-up. */
  pipeline: CheckpointSink;
  logger: Logger;
  registry: Registry;
  /** Wall clock, ms epoch. */
  now: () => number;
  /** History read back from the partials topic at start-up (retention.window), ms. */
  restoreWindowMs: number;
  /** True while aggregation is behind: consumption pauses until it is false again. */
  isBehind?: () => boolean;
  /** The process must stop (another live process holds this instance's id). */
  onFatal?: (err: Error) => void;
  readFile?: ReadFile;
}

const MAINTAIN_EVERY_MS = 1_500;
const PROBE_TIMEOUT_MS = 2_500;
const RESTORE_TIMEOUT_MS = 120_000;
const BACKOFF_MS = { first: 1_000, max: 15_000 };

/**
 * The Kafka source: one consumer in group `groupId` reading `topic` with `eachBatch`. Records
 * are decoded and staged; each checkpoint transaction produces their partials and commits
 * their offsets together (kafkaCheckpoint.ts). Before the first consumer starts, the partials
 * of the visible window are read back (kafkaRestore.ts), so a restart resumes where the
 * committed offsets say with the history they cover. It reconnects by itself and ends the
 * process only when another process holds its transactional id: problems show in
 * `status()` and the logs, with a code.
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
  /** Next offset per partition whose records are committed and in the live view. */
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
  let checkpoint: Checkpointer | undefined;
  let restored = false;
  let peers: PeerReader | undefined;
  let join: JoinGuard | undefined;
  /** The partials topic exists (or was created): false = running alone, not durable. */
  let partialsOk = true;
  let lag: number | null = null;
  const health = createKafkaHealth(
    { brokers: cfg.brokers, topic: cfg.topic, groupId: cfg.groupId },
    { logger: log, now: deps.now, onChange: (up) => metrics.connected.set(up ? 1 : 0) },
  );

  /** Drops consumer `c`; the next one joins after a backoff and resumes from the commits. */
  const replaceConsumer = (c: Consumer | undefined, code?: string): void => {
    if (!c || c !== consumer || !running) return;
    log.warn({ code }, 'consumer stopped; restarting it');
    consumer = undefined;
    health.consumerDown();
    void c.disconnect().catch(() => undefined);
    scheduleConnect();
  };

  const connect = async (): Promise<void> => {
    const k = kafka as Kafka;
    const a = admin as Admin;
    await withTimeout(a.connect(), 15_000, 'admin connect');
    const topics = await withTimeout(a.listTopics(), PROBE_TIMEOUT_MS, 'listTopics');
    health.brokerAnswered();
    if (!topics.includes(cfg.topic)) throw topicMissing(cfg);
    partialsOk = await ensurePartialsTopic(a, cfg, log);
    metrics.partialsAvailable.set(partialsOk ? 1 : 0);
    await dlq?.start(a);
    if (!running) return;
    const cp = checkpoint as Checkpointer;
    await cp.connect(() =>
      withTimeout(committedOffsets(a, cfg.groupId, cfg.topic), 10_000, 'fetchOffsets'),
    );
    if (!partialsOk) {
      // nothing was ever written there by this process: if the topic appears later, only what
      // is committed from then on is durable
      restored = true;
    } else if (!restored) {
      const { highs } = await restorePartials({
        kafka: k,
        admin: a,
        cfg,
        windowMs: deps.restoreWindowMs,
        timeoutMs: RESTORE_TIMEOUT_MS,
        restore: deps.pipeline.restore(),
        logger: log,
        metrics,
        now: deps.now,
      });
      restored = true;
      // from where the restore stopped: other instances' partials join the view as they
      // commit (not awaited: its group join must not delay the input consumer's)
      void peers?.start(highs);
    }
    if (!running) return;
    const c = k.consumer(consumerConfig(cfg));
    instrumentConsumer(c, {
      topic: cfg.topic,
      health,
      metrics,
      processed,
      onJoin: (assigned) => {
        backoff = BACKOFF_MS.first;
        if (c === consumer) join?.joined(c, assigned);
      },
      onGaveUp: (code) => replaceConsumer(c, code),
      onRebalancing: () => {
        if (c === consumer) checkpoint?.revoke();
      },
    });
    consumer = c;
    join?.reset();
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

  /**
   * Takes shown deltas that did not commit out of the live view: the seconds from `from` on
   * are read back from the partials topic (committed only), with the peers' partials the
   * peer reader had not merged yet; the peer reader goes on from where this read stopped.
   */
  const rebuild = async (from: number): Promise<void> => {
    const reader = peers;
    await reader?.stop();
    const { highs } = await restorePartials({
      kafka: kafka as Kafka,
      admin: admin as Admin,
      cfg,
      windowMs: deps.restoreWindowMs,
      timeoutMs: RESTORE_TIMEOUT_MS,
      restore: deps.pipeline.rebuild(from),
      logger: log,
      metrics,
      now: deps.now,
      rebuild: { from, peers: reader?.positions() ?? new Map() },
    });
    if (running) void reader?.start(highs);
  };

  /** Every few seconds: probe the broker (the watermarks call) and refresh the lag. */
  const maintain = async (): Promise<void> => {
    const a = admin;
    if (!a || !running) return;
    try {
      const report = await probeLag(a, cfg, processed, (p, what) =>
        withTimeout(p, PROBE_TIMEOUT_MS, what),
      );
      health.brokerAnswered();
      lag = report.total;
      for (const [partition, n] of report.byPartition) metrics.lag.labels(String(partition)).set(n);
    } catch (err) {
      const e = classifyKafkaError(err, ctx);
      if (e.code === 'topic_missing') health.failed(e);
      else health.brokerFailed(e);
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
      checkpoint = createCheckpointer(cfg, {
        kafka,
        pipeline: deps.pipeline,
        processed,
        logger: log,
        metrics,
        now: deps.now,
        onFailed: (err) => {
          health.consumerDown(err, true);
          replaceConsumer(consumer, err.code);
        },
        onFatal: deps.onFatal,
        partialsAvailable: () => partialsOk,
        rebuild: (from) => rebuild(from),
      });
      peers = createPeerReader({
        kafka,
        cfg,
        merge: () => deps.pipeline.restore(),
        logger: log,
        metrics,
      });
      batches = createBatchHandler({
        topic: cfg.topic,
        decoder,
        checkpoint,
        now: deps.now,
        logger: log,
        metrics,
        rate,
        isBehind: deps.isBehind,
        isCurrent: (c) => running && c === consumer,
        held: (p) => join?.held(p) ?? false,
        timers,
      });
      join = createJoinGuard({
        topic: cfg.topic,
        committed: () =>
          withTimeout(
            committedOffsets(admin as Admin, cfg.groupId, cfg.topic),
            10_000,
            'fetchOffsets',
          ),
        alone: async () => {
          const d = await withTimeout(
            (admin as Admin).describeGroups([cfg.groupId]),
            PROBE_TIMEOUT_MS,
            'describeGroups',
          );
          return (d.groups[0]?.members.length ?? 0) <= 1;
        },
        logger: log,
        onTakeover: (n) => metrics.takeovers.inc(n),
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
          c?.pause([{ topic: cfg.topic }]);
        } catch {
          /* not running yet: nothing to pause */
        }
        // what is staged commits now, while this instance still owns its partitions: a plain
        // restart neither re-reads nor loses it. Leaving the group first would hand them to
        // another instance that could read the old offsets before this commit lands.
        await checkpoint?.flush();
        try {
          await c?.disconnect();
        } catch (err) {
          log.warn({ err }, 'consumer disconnect failed');
        }
        // a batch still running at the flush stays uncommitted: its records are read again
        await checkpoint?.close();
        await peers?.stop();
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
      else if (connected && !partialsOk && !message)
        message = `running alone: partials topic ${cfg.partialsTopic} unavailable (no durable history)`;
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
