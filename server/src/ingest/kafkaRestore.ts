import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { restoreConsumerConfig, type KafkaSourceConfig } from './kafkaConfig.js';
import { KafkaSourceError } from './kafkaErrors.js';
import type { KafkaMetrics } from './kafkaMetrics.js';
import type { PartialRestore } from './source.js';

/** Partials are kept a little longer than the 24 h of minute rollups. */
export const PARTIALS_RETENTION_MS = 25 * 3_600_000;
const PROGRESS_EVERY_MS = 2_000;
const INVALID_LOGGED = 5;

/**
 * Creates the partials topic when it is missing: time-based retention (never compacted: every
 * partial of a key counts), room for large seconds, as many partitions as the input so the
 * checkpoint writes of N instances spread. Two instances racing to create it both succeed.
 * Resolves false when it is missing and cannot be created (no permission, an invalid name):
 * the instance then runs alone — its view is its own partitions, its history not durable —
 * and says so; a broker that does not answer throws as before (the caller retries).
 */
export async function ensurePartialsTopic(
  admin: Admin,
  cfg: Pick<KafkaSourceConfig, 'topic' | 'partialsTopic'>,
  log: Logger,
): Promise<boolean> {
  const existing = await admin.listTopics();
  if (existing.includes(cfg.partialsTopic)) return true;
  const meta = await admin.fetchTopicMetadata({ topics: [cfg.topic] });
  const partitions = Math.max(1, meta.topics[0]?.partitions.length ?? 1);
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: cfg.partialsTopic,
          numPartitions: partitions,
          configEntries: [
            { name: 'cleanup.policy', value: 'delete' },
            { name: 'retention.ms', value: String(PARTIALS_RETENTION_MS) },
            { name: 'max.message.bytes', value: String(8 * 1024 * 1024) },
            { name: 'message.timestamp.type', value: 'CreateTime' },
          ],
        },
      ],
    });
    log.info({ partialsTopic: cfg.partialsTopic, partitions }, 'created the partials topic');
  } catch (err) {
    // the broker answered with a refusal (kafkajs names it); a transport failure has no type
    const type = refusal(err);
    if (type === 'TOPIC_ALREADY_EXISTS') return true;
    if (!type) throw err;
    log.warn(
      { err, code: 'partials_unavailable', partialsTopic: cfg.partialsTopic },
      `partials topic ${cfg.partialsTopic} is missing and cannot be created (${type}): running alone — no history after a restart, no merged view with other instances`,
    );
    return false;
  }
  return true;
}

/** The createTopics refusal in `err` (kafkajs aggregates one error per topic), if any. */
function refusal(err: unknown): string | undefined {
  const e = err as { type?: string; errors?: { type?: string }[] };
  const types = [e.type, ...(e.errors ?? []).map((x) => x.type)];
  if (types.includes('TOPIC_ALREADY_EXISTS')) return 'TOPIC_ALREADY_EXISTS';
  return types.find((t): t is string => t !== undefined && REFUSALS.has(t));
}

/** createTopics answers that no retry can change. */
const REFUSALS = new Set([
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'POLICY_VIOLATION',
  'INVALID_CONFIG',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_PARTITIONS',
  'UNSUPPORTED_VERSION',
]);

export interface RestoreResult {
  partials: number;
  invalid: number;
  flows: number;
  /** False when the timeout ended it early: the history has gaps. */
  complete: boolean;
  ms: number;
  /** Per partition of the partials topic, the offset the restore read up to (exclusive). */
  highs: Map<number, number>;
}

export interface RestoreOptions {
  kafka: Kafka;
  admin: Admin;
  cfg: Pick<KafkaSourceConfig, 'groupId' | 'instanceId' | 'partialsTopic'>;
  /** Partials of seconds older than now − windowMs are not read, ms. */
  windowMs: number;
  timeoutMs: number;
  restore: PartialRestore;
  logger: Logger;
  metrics: KafkaMetrics;
  now: () => number;
  /**
   * A rebuild of the seconds from `from` (ms epoch) on, not the start-up restore: reads from
   * the first partial stamped at or after `from` — or, per partition, from where the peer
   * reader stopped (`peers`), if earlier — and passes on every partial of a second from
   * `from` on, and older ones only of other instances past where the peer reader stopped
   * (those were not in the live view yet).
   */
  rebuild?: { from: number; peers: ReadonlyMap<number, number> };
}

/** The instance and second of a partial, from its key (`<instance>:<second>`). */
function keyOf(key: Buffer | null, timestamp: string): { instance: string; t: number } {
  const k = key?.toString('utf8') ?? '';
  const at = k.lastIndexOf(':');
  const t = at >= 0 ? Number(k.slice(at + 1)) : NaN;
  return { instance: at >= 0 ? k.slice(0, at) : '', t: Number.isFinite(t) ? t : Number(timestamp) };
}

/**
 * Reads the partials of the visible window back: seeks every partition of the partials topic
 * to the first record stamped at or after now − window, reads committed records up to the
 * high watermarks captured at the start, and merges them (once, at the end). Bad partials are
 * counted and skipped. On timeout it keeps what it read and says so; a connection failure
 * before the end throws (the caller retries with nothing merged).
 */
export async function restorePartials(o: RestoreOptions): Promise<RestoreResult> {
  const started = o.now();
  const topic = o.cfg.partialsTopic;
  const log = o.logger.child({ partialsTopic: topic });
  const rb = o.rebuild;
  if (rb) log.info({ from: rb.from }, 'rebuilding the live view from the partials topic');
  else log.info({ windowMs: o.windowMs }, 'restoring the history from the partials topic');
  const from = await o.admin.fetchTopicOffsetsByTimestamp(
    topic,
    rb ? Math.max(rb.from, started - o.windowMs) : started - o.windowMs,
  );
  const highs = new Map(
    (await o.admin.fetchTopicOffsets(topic)).map((w) => [w.partition, Number(w.high)] as const),
  );
  const position = new Map(
    from.map((p) => {
      const off = Number(p.offset);
      const peer = rb?.peers.get(p.partition);
      return [p.partition, peer !== undefined ? Math.min(off, peer) : off] as const;
    }),
  );
  const own = o.cfg.instanceId;
  /** Whether a rebuild passes this partial on (see RestoreOptions.rebuild). */
  const wanted = (partition: number, offset: number, key: Buffer | null, ts: string): boolean => {
    if (!rb) return true;
    const k = keyOf(key, ts);
    if (k.t >= rb.from) return true;
    return k.instance !== own && offset >= (rb.peers.get(partition) ?? Infinity);
  };
  const remaining = (): number => {
    let n = 0;
    for (const [p, high] of highs) n += Math.max(0, high - (position.get(p) ?? high));
    return n;
  };
  const total = remaining();
  const result: RestoreResult = {
    partials: 0,
    invalid: 0,
    flows: 0,
    complete: true,
    ms: 0,
    highs,
  };
  if (total === 0) {
    o.restore.finish();
    log.info('no partials to restore');
    return { ...result, ms: o.now() - started };
  }

  const consumerCfg = restoreConsumerConfig(o.cfg, randomBytes(4).toString('hex'));
  const consumer: Consumer = o.kafka.consumer(consumerCfg);
  let done: () => void = () => undefined;
  let crashed: (e: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    done = resolve;
    crashed = reject;
  });
  finished.catch(() => undefined); // raced below; a late crash must not go unhandled
  const advance = (partition: number, lastOffset: string): void => {
    const next = Number(lastOffset) + 1;
    if (next > (position.get(partition) ?? -1)) position.set(partition, next);
    if (remaining() === 0) done();
  };
  // batches holding only transaction markers or aborted records skip eachBatch
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
    if (e.payload.batchSize === 0) advance(e.payload.partition, e.payload.lastOffset);
  });
  consumer.on(consumer.events.CRASH, (e) => {
    if (!e.payload.restart) crashed(e.payload.error);
  });
  const eachBatch = async ({ batch }: EachBatchPayload): Promise<void> => {
    const high = highs.get(batch.partition) ?? 0;
    for (const m of batch.messages) {
      if (Number(m.offset) >= high || !m.value) continue;
      if (!wanted(batch.partition, Number(m.offset), m.key, m.timestamp)) continue;
      try {
        const h = o.restore.add(m.value);
        result.partials++;
        result.flows += h.flows;
      } catch (err) {
        result.invalid++;
        if (result.invalid <= INVALID_LOGGED) {
          log.warn({ err, partition: batch.partition, offset: m.offset }, 'bad partial skipped');
        }
      }
    }
    advance(batch.partition, batch.lastOffset());
  };

  const progress = setInterval(() => {
    log.info(
      { read: result.partials, of: total, remaining: remaining(), flows: result.flows },
      'restoring partials',
    );
  }, PROGRESS_EVERY_MS);
  let timeout: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    // paused until every partition is seeked, so no fetch starts from the wrong offset: run()
    // creates the group synchronously and fetches only after joining (as admin.setOffsets does)
    const running = consumer.run({ autoCommit: false, eachBatch });
    consumer.pause([{ topic }]);
    await running;
    for (const [partition, offset] of position) {
      consumer.seek({ topic, partition, offset: String(offset) });
    }
    consumer.resume([{ topic }]);
    const timedOut = new Promise<'timeout'>((resolve) => {
      timeout = setTimeout(
        () => resolve('timeout'),
        Math.max(0, o.timeoutMs - (o.now() - started)),
      );
    });
    if ((await Promise.race([finished, timedOut])) === 'timeout') {
      result.complete = false;
      const e = new KafkaSourceError(
        'restore_incomplete',
        `restore of ${topic} timed out after ${o.timeoutMs} ms: ${remaining()} of ${total} records unread, the history has gaps`,
        { retriable: false },
      );
      log.error({ code: e.code, read: result.partials }, e.message);
    }
  } finally {
    clearInterval(progress);
    clearTimeout(timeout);
    await consumer.disconnect().catch(() => undefined);
  }
  o.restore.finish();
  // a group that never committed vanishes by itself; this only tidies up sooner
  await o.admin.deleteGroups([consumerCfg.groupId]).catch(() => undefined);
  result.ms = o.now() - started;
  const { highs: _highs, ...summary } = result;
  if (rb) {
    log.info(summary, 'live view rebuilt');
    return result;
  }
  o.metrics.partialsRestored.labels('merged').inc(result.partials);
  o.metrics.partialsRestored.labels('invalid').inc(result.invalid);
  o.metrics.flowsRestored.inc(result.flows);
  o.metrics.restoreSeconds.set(result.ms / 1000);
  log.info(summary, 'history restored');
  return result;
}
