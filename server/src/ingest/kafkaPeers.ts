import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { restoreConsumerConfig, type KafkaSourceConfig } from './kafkaConfig.js';
import type { KafkaMetrics } from './kafkaMetrics.js';
import { sleepRef } from './kafkaTimers.js';
import type { PartialRestore } from './source.js';

const RESTART_MS = 2_000;

export interface PeerReaderDeps {
  kafka: Kafka;
  cfg: Pick<KafkaSourceConfig, 'groupId' | 'instanceId' | 'partialsTopic'>;
  /** A side delta for one batch of partials, merged into the live view by `finish`. */
  merge: () => PartialRestore;
  logger: Logger;
  metrics: KafkaMetrics;
}

export interface PeerReader {
  /** Starts reading at `from` (per partition: where the start-up restore stopped). */
  start(from: ReadonlyMap<number, number>): Promise<void>;
  stop(): Promise<void>;
  /** Per partition, the next offset not yet merged (where a `start` after `stop` goes on). */
  positions(): Map<number, number>;
  readonly running: boolean;
}

/**
 * The scale-out half of the partials topic: after the start-up restore, keeps reading it from
 * where the restore stopped and merges every other instance's partials into the live view, so
 * all instances of a group hold the same global view (counters add, sketches merge).
 *
 * This instance's own partials are skipped by their key (`<instanceId>:<second>`): their delta
 * joined the live view when their checkpoint committed, before it could be read back — merging
 * locally keeps a lone instance's view immediate and lets it run without reading its own
 * writes. The restore, which runs before this process commits anything, did take its own id's
 * partials: those were its predecessor's, fenced by then (kafkaCheckpoint.ts `connect`).
 *
 * It reads committed transactions only (read_committed): an aborted checkpoint never counts,
 * and its records are counted by whoever re-reads them. A throwaway group that never commits:
 * positions are kept here and re-applied after every (re)join.
 */
export function createPeerReader(deps: PeerReaderDeps): PeerReader {
  const { cfg, metrics } = deps;
  const topic = cfg.partialsTopic;
  const own = `${cfg.instanceId}:`;
  const log = deps.logger.child({ partialsTopic: topic, part: 'peers' });
  const positions = new Map<number, number>();
  const lagBy = new Map<number, number>();
  const timers = new Set<NodeJS.Timeout>();
  let consumer: Consumer | undefined;
  let running = false;

  const advance = (partition: number, next: number): void => {
    if (next > (positions.get(partition) ?? -1)) positions.set(partition, next);
  };

  const eachBatch = async ({ batch }: EachBatchPayload): Promise<void> => {
    const from = positions.get(batch.partition) ?? -1;
    const delta = deps.merge();
    let merged = 0;
    let invalid = 0;
    let flows = 0;
    for (const m of batch.messages) {
      if (Number(m.offset) < from || !m.value) continue;
      if (m.key?.toString('utf8').startsWith(own)) continue;
      try {
        flows += delta.add(m.value).flows;
        merged++;
      } catch (err) {
        invalid++;
        if (invalid <= 3) log.warn({ err, offset: m.offset }, 'bad partial of a peer skipped');
      }
    }
    delta.finish();
    advance(batch.partition, Number(batch.lastOffset()) + 1);
    metrics.peerPartials.labels('merged').inc(merged);
    if (invalid) metrics.peerPartials.labels('invalid').inc(invalid);
    metrics.peerFlows.inc(flows);
    lagBy.set(batch.partition, Math.max(0, Number(batch.offsetLag())));
    let lag = 0;
    for (const n of lagBy.values()) lag += n;
    metrics.peerLag.set(lag);
  };

  const connect = async (): Promise<void> => {
    // the restore reader's settings (read_committed, large fetches), a group of its own
    const suffix = randomBytes(4).toString('hex');
    const c = deps.kafka.consumer({
      ...restoreConsumerConfig(cfg, suffix),
      groupId: `${cfg.groupId}-peers-${cfg.instanceId}-${suffix}`,
      maxWaitTimeInMs: 200,
    });
    consumer = c;
    // every (re)join: back to our own positions (the group commits nothing to resume from)
    c.on(c.events.GROUP_JOIN, () => {
      for (const [partition, offset] of positions) {
        c.seek({ topic, partition, offset: String(offset) });
      }
    });
    // batches of transaction markers or aborted records only skip eachBatch
    c.on(c.events.END_BATCH_PROCESS, (e) => {
      if (e.payload.batchSize === 0) advance(e.payload.partition, Number(e.payload.lastOffset) + 1);
    });
    c.on(c.events.CRASH, (e) => {
      if (e.payload.restart || c !== consumer) return;
      log.warn({ err: e.payload.error }, 'peer reader stopped; restarting it');
      consumer = undefined;
      void c.disconnect().catch(() => undefined);
      void sleepRef(RESTART_MS, timers).then(() => (running ? attempt() : undefined));
    });
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: false });
    await c.run({ autoCommit: false, eachBatch });
  };

  const attempt = async (): Promise<void> => {
    try {
      await connect();
    } catch (err) {
      log.warn({ err }, 'peer reader could not start; retrying');
      const c = consumer;
      consumer = undefined;
      await c?.disconnect().catch(() => undefined);
      if (running) void sleepRef(RESTART_MS, timers).then(() => (running ? attempt() : undefined));
    }
  };

  return {
    get running() {
      return running;
    },
    async start(from) {
      if (running) return;
      running = true;
      for (const [p, o] of from) positions.set(p, o);
      log.info({ from: Object.fromEntries(positions) }, 'reading the partials of other instances');
      await attempt();
    },
    positions: () => new Map(positions),
    async stop() {
      running = false;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const c = consumer;
      consumer = undefined;
      await c?.disconnect().catch(() => undefined);
    },
  };
}
