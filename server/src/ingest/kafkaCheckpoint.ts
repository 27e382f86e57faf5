import type { Flow } from '@surgewatch/shared';
import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { checkpointProducerConfig, type KafkaSourceConfig } from './kafkaConfig.js';
import { isFenced, KafkaSourceError } from './kafkaErrors.js';
import type { KafkaMetrics } from './kafkaMetrics.js';
import type { CheckpointSink, EncodedPartial, RawChunk, StagedBatch } from './source.js';

/** Uncompressed partial bytes per produce request: record batches stay far below 8 MiB. */
const SEND_BYTES = 2 * 1024 * 1024;
/** Fenced this often within FENCE_WINDOW_MS: another live process holds our id. */
const FENCES_FATAL = 3;
const FENCE_WINDOW_MS = 60_000;
const ABORT_TIMEOUT_MS = 5_000;
/** Longest stretch between checkpoints when transactions are slow, ms. */
const MAX_INTERVAL_MS = 10_000;
/**
 * Past a second's end when the once-a-second checkpoint is due: detection takes a second as
 * complete once what was read 300 ms after its end is visible (alertDesk settleMs), and one
 * more fetch wait (200 ms) makes sure a batch read after that is in this checkpoint.
 */
const ALIGN_MS = 500;
/**
 * Records staged while a transaction is in flight before consumption waits for it: enough
 * that a transaction's round trip (a backlog's can take a second) never stalls the input,
 * few enough that the staged delta's memory stays bounded.
 */
export const MAX_STAGED_RECORDS = 1_000_000;

type CheckpointConfig = Pick<
  KafkaSourceConfig,
  'topic' | 'groupId' | 'instanceId' | 'partialsTopic' | 'commitIntervalMs'
>;

export interface CheckpointerDeps {
  kafka: Kafka;
  pipeline: CheckpointSink;
  /** Next offset per partition that is in the live view (committed); shared with the source. */
  processed: Map<number, number>;
  logger: Logger;
  metrics: KafkaMetrics;
  now: () => number;
  /** A checkpoint failed: replace the consumer so that it resumes from the committed offsets. */
  onFailed: (err: KafkaSourceError) => void;
  /** Another live process keeps fencing this one: it must not keep running. */
  onFatal?: ((err: KafkaSourceError) => void) | undefined;
  /** Records staged behind a transaction in flight before `commitIfDue` waits (MAX_STAGED_RECORDS). */
  maxStagedRecords?: number;
  /**
   * False while the partials topic is missing and cannot be created: checkpoints then commit
   * the input offsets alone (this instance runs alone; its history is not durable).
   */
  partialsAvailable?: () => boolean;
}

export interface Checkpointer {
  /** Next offset of `partition` not yet in the live view or the open checkpoint; -1 if none. */
  position(partition: number): number;
  /**
   * Stages flows decoded from `partition` up to (not including) offset `next`. With the
   * partition's high watermark, the checkpointer knows when the input is caught up: a backlog
   * commits at a stretched interval, live input at `commitIntervalMs` (see `interval`).
   */
  add(
    partition: number,
    flows: readonly Flow[] | RawChunk,
    next: number,
    highWatermark?: number,
  ): void;
  /** Whether the next chunk may be staged undecoded (a RawChunk): see CheckpointSink.takesRaw. */
  takesRaw(): boolean;
  /** True after a failed checkpoint until `connect`: adds are ignored, the consumer must go. */
  readonly broken: boolean;
  /**
   * Once the interval has passed since the open checkpoint opened, starts committing it
   * without waiting for the transaction: the next batches are staged meanwhile. At most one
   * transaction is in flight: while one is, a due checkpoint keeps staging (a later call, or
   * the open checkpoint's timer, commits it once the first is done), and only once it holds
   * `maxStagedRecords` does this wait for the first. Resolves false once a checkpoint failed
   * (onFailed was called). Never throws.
   */
  commitIfDue(): Promise<boolean>;
  /** Commits what is staged now and waits for it. Resolves false when it failed. Never throws. */
  flush(): Promise<boolean>;
  /**
   * Connects a fresh transactional producer. Its InitProducerId fences any predecessor with
   * the same transactional id and aborts that one's open transaction (a kill -9 mid-commit).
   * A checkpoint whose commit answer was lost is then settled against `committed()`: the
   * offsets the group resumes from decide both whether its delta joins the live view and
   * whether its records are read again, so it counts exactly once either way.
   */
  connect(committed: () => Promise<Map<number, number>>): Promise<void>;
  /**
   * The group is rebalancing: drops the open checkpoint uncommitted, and a transaction in
   * flight that has not sent its commit yet aborts instead of committing. Their partitions may
   * go to another instance, which starts from the committed offsets; committing them after
   * that instance fetched them would count their records twice (kafkajs has no
   * generation-fenced TxnOffsetCommit, KIP-447). Whoever owns them after the rebalance reads
   * them again; the new owner also waits out a commit already on the wire (kafkaJoin.ts).
   * Returns the records dropped.
   */
  revoke(): number;
  /** Waits for a transaction that was in flight at the last `revoke` (no-op otherwise). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

function isRaw(x: readonly Flow[] | RawChunk): x is RawChunk {
  return !Array.isArray(x);
}

interface OpenCheckpoint {
  staged: StagedBatch;
  /** Next offset per partition covered. */
  offsets: Map<number, number>;
  since: number;
}

/** Splits partials into produce requests of at most SEND_BYTES (at least one partial each). */
function requests(partials: readonly EncodedPartial[], instance: string): Message[][] {
  const out: Message[][] = [];
  let cur: Message[] = [];
  let bytes = 0;
  for (const p of partials) {
    if (cur.length && bytes + p.value.length > SEND_BYTES) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    // timestamp = the second: the topic can be seeked by event time at start-up
    cur.push({ key: `${instance}:${p.t}`, value: p.value, timestamp: String(p.t) });
    bytes += p.value.length;
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Consume–transform–produce, exactly once: the flows of up to `commitIntervalMs` of input
 * are aggregated aside (a staged delta); one Kafka transaction then produces that delta's
 * per-second partials and the input offsets it covers; only when it has committed does the
 * delta join the live view. A failed transaction therefore leaves nothing to undo — the live
 * view never holds uncommitted data — so the process need not die: the consumer is replaced
 * and re-reads from the committed offsets (the broker-outage path). Only a lost commit
 * answer needs more: see `connect`.
 */
export function createCheckpointer(cfg: CheckpointConfig, deps: CheckpointerDeps): Checkpointer {
  const log = deps.logger;
  const m = deps.metrics;
  let producer: Producer | undefined;
  let broken = true;
  let open: OpenCheckpoint | undefined;
  /** A checkpoint whose commit was sent but not answered. */
  let pending: OpenCheckpoint | undefined;
  let chain: Promise<boolean> = Promise.resolve(true);
  let timer: NodeJS.Timeout | undefined;
  const fences: number[] = [];
  /** How long the last committed transaction took, ms. */
  let lastTxnMs = 0;
  /** Rebalances seen (`revoke` calls): a transaction begun before one must not commit. */
  let revocations = 0;

  const fail = (result: 'aborted' | 'unknown', err: unknown, step: string): void => {
    broken = true;
    open = undefined;
    m.transactions.labels(result).inc();
    const fenced = isFenced(err);
    const e = new KafkaSourceError(
      fenced ? 'producer_fenced' : 'checkpoint_failed',
      fenced
        ? `checkpoint producer fenced: another process uses kafka.instanceId "${cfg.instanceId}"`
        : `checkpoint transaction failed at ${step} (${result}): its records are read again`,
      { retriable: true, cause: err },
    );
    log.warn({ err, code: e.code, step, result }, e.message);
    if (fenced) {
      const now = deps.now();
      fences.push(now);
      while (fences.length && (fences[0] as number) < now - FENCE_WINDOW_MS) fences.shift();
      if (fences.length >= FENCES_FATAL) deps.onFatal?.(e);
    }
    deps.onFailed(e);
  };

  const commit = async (): Promise<boolean> => {
    if (broken) return false;
    const o = open;
    if (!o) return true;
    open = undefined;
    const p = producer as Producer;
    const generation = revocations;
    const started = performance.now();
    let partials: EncodedPartial[] = [];
    let usable = true;
    try {
      // called before anything awaits: a pipeline worker seals what it was handed so far
      partials = await o.staged.encode(cfg.instanceId);
    } catch (err) {
      if ((err as { retriable?: unknown }).retriable === true) {
        // the delta was lost (a pipeline worker died): read its records again
        fail('aborted', err, 'encode');
        return false;
      }
      // a pipeline bug: re-reading would fail the same way forever, so commit the offsets
      usable = false;
      log.error({ err, records: o.staged.records }, 'could not encode partials; records dropped');
    }
    let step = 'begin';
    let txn: Awaited<ReturnType<Producer['transaction']>> | undefined;
    const toTopic = deps.partialsAvailable?.() ?? true;
    try {
      txn = await p.transaction();
      step = 'produce';
      for (const messages of toTopic ? requests(partials, cfg.instanceId) : []) {
        await txn.send({ topic: cfg.partialsTopic, compression: CompressionTypes.GZIP, messages });
      }
      step = 'sendOffsets';
      const partitions = [...o.offsets].map(([partition, next]) => ({
        partition,
        offset: String(next),
      }));
      await txn.sendOffsets({
        consumerGroupId: cfg.groupId,
        topics: [{ topic: cfg.topic, partitions }],
      });
    } catch (err) {
      // best effort: the next producer's InitProducerId aborts it anyway
      const abort = txn?.abort().catch(() => undefined);
      await Promise.race([abort, new Promise((r) => setTimeout(r, ABORT_TIMEOUT_MS).unref())]);
      fail('aborted', err, step);
      return false;
    }
    if (revocations !== generation) {
      // the group began rebalancing while this transaction was being written: its partitions
      // may already be someone else's, who starts from the committed offsets. Abort rather than
      // commit behind their back; whoever owns the partitions now reads the records again.
      await Promise.race([
        txn.abort().catch(() => undefined),
        new Promise((r) => setTimeout(r, ABORT_TIMEOUT_MS).unref()),
      ]);
      m.revoked.inc();
      m.transactions.labels('aborted').inc();
      log.info(
        { records: o.staged.records, partitions: [...o.offsets.keys()] },
        'rebalance: checkpoint in flight aborted before its commit; its records are read again',
      );
      return true;
    }
    try {
      await txn.commit();
    } catch (err) {
      pending = o;
      fail('unknown', err, 'commit');
      return false;
    }
    applied(o, usable, toTopic ? partials : []);
    m.transactions.labels('committed').inc();
    lastTxnMs = performance.now() - started;
    m.transactionSeconds.observe(lastTxnMs / 1000);
    return true;
  };

  const applied = (o: OpenCheckpoint, usable: boolean, partials: EncodedPartial[]): void => {
    if (usable) o.staged.apply();
    for (const [partition, next] of o.offsets) {
      if (next > (deps.processed.get(partition) ?? -1)) deps.processed.set(partition, next);
    }
    m.partialsProduced.inc(partials.length);
    let bytes = 0;
    for (const p of partials) bytes += p.value.length;
    m.partialBytes.inc(bytes);
  };

  const flush = (): Promise<boolean> => {
    const run = chain.then(commit);
    chain = run.catch(() => false);
    return run;
  };

  /**
   * `commitIntervalMs`, or twice the last transaction's time when that is longer: catching up
   * on a backlog, each checkpoint's delta spans many seconds and takes long to produce, and
   * committing back to back would re-encode the same seconds over and over.
   */
  const interval = (): number =>
    caughtUp()
      ? cfg.commitIntervalMs
      : Math.min(MAX_INTERVAL_MS, Math.max(cfg.commitIntervalMs, 2 * lastTxnMs));

  /** Records not yet read per partition, as of its last batch (high watermark − next). */
  const unread = new Map<number, number>();
  /**
   * Whether every partition's last batch reached its high watermark: the backlog is read,
   * so what is staged is the newest there is and should be visible at the normal cadence
   * (after a backlog, the last stretched interval would otherwise hold the final records
   * back for seconds).
   */
  const caughtUp = (): boolean => {
    for (const n of unread.values()) if (n > 0) return false;
    return true;
  };

  /**
   * When a checkpoint opened at `since` is due. At a once-a-second cadence it is due just
   * after a second's records have all been read (`ALIGN_MS` past the second's end), so
   * detection sees each whole second as early as it can — not up to a second later, as a
   * checkpoint opened at a random moment would be.
   */
  const dueAt = (since: number): number => {
    const every = interval();
    if (every > 1_000) return since + every;
    return (Math.floor((since - ALIGN_MS) / 1_000) + 1) * 1_000 + ALIGN_MS;
  };

  const maxStaged = deps.maxStagedRecords ?? MAX_STAGED_RECORDS;
  /**
   * An idle topic sends no more batches: the timer commits what is staged (whatever
   * Date.now() says: a timer set during a long callback can fire a little early).
   */
  const schedule = (o: OpenCheckpoint): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), Math.max(0, dueAt(o.since) - deps.now()));
    timer.unref();
  };

  let inFlight: Promise<boolean> | undefined;
  let settling: Promise<unknown> | undefined;
  const commitIfDue = async (): Promise<boolean> => {
    if (broken) return false;
    if (!open || deps.now() < dueAt(open.since)) return true;
    if (inFlight) {
      // waiting here would stall the input for a whole round trip: keep staging, within bounds
      if (open.staged.records < maxStaged) return true;
      if (!(await inFlight)) return false;
    }
    const run = flush();
    inFlight = run;
    void run.then(() => {
      if (inFlight === run) inFlight = undefined;
    });
    return !broken;
  };

  return {
    get broken() {
      return broken;
    },
    position(partition) {
      return Math.max(open?.offsets.get(partition) ?? -1, deps.processed.get(partition) ?? -1);
    },
    add(partition, flows, next, highWatermark) {
      if (broken) return;
      const wasCaughtUp = caughtUp();
      if (highWatermark !== undefined) unread.set(partition, Math.max(0, highWatermark - next));
      if (!open) {
        open = { staged: deps.pipeline.stage(), offsets: new Map(), since: deps.now() };
        schedule(open);
      } else if (!wasCaughtUp && caughtUp()) {
        // the backlog's last records: due at the normal cadence now, not the stretched one
        schedule(open);
      }
      if (isRaw(flows)) {
        if (!open.staged.addRaw) throw new Error('this pipeline decodes on the consumer only');
        if (flows.values.length) open.staged.addRaw(flows);
      } else if (flows.length) open.staged.add(flows);
      if (next > (open.offsets.get(partition) ?? -1)) open.offsets.set(partition, next);
    },
    takesRaw: () => !broken && (deps.pipeline.takesRaw?.() ?? false),
    commitIfDue,
    flush,
    async connect(committed) {
      await chain;
      const old = producer;
      producer = undefined;
      broken = true;
      open = undefined;
      await old?.disconnect().catch(() => undefined);
      const p = deps.kafka.producer(checkpointProducerConfig(cfg));
      try {
        await p.connect();
        await (await p.transaction()).abort();
        const offsets = await committed();
        if (pending) {
          const o = pending;
          const done = [...o.offsets].every(([part, next]) => (offsets.get(part) ?? -1) >= next);
          if (done) applied(o, true, []);
          log.info(
            { committed: done, records: o.staged.records },
            'settled the checkpoint whose commit answer was lost',
          );
          pending = undefined;
        }
        deps.processed.clear();
        for (const [part, next] of offsets) if (next >= 0) deps.processed.set(part, next);
      } catch (err) {
        await p.disconnect().catch(() => undefined);
        throw err;
      }
      producer = p;
      broken = false;
    },
    revoke() {
      revocations++;
      unread.clear();
      const o = open;
      open = undefined;
      clearTimeout(timer);
      settling = chain;
      if (!o) return 0;
      m.revoked.inc();
      log.info(
        { records: o.staged.records, partitions: [...o.offsets.keys()] },
        'rebalance: staged checkpoint dropped uncommitted; its records are read again',
      );
      return o.staged.records;
    },
    async settle() {
      const s = settling;
      if (!s) return;
      await s;
      if (settling === s) settling = undefined;
    },
    async close() {
      clearTimeout(timer);
      await chain;
      broken = true;
      const p = producer;
      producer = undefined;
      await p?.disconnect().catch(() => undefined);
    },
  };
}
