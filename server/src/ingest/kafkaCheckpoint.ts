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
  /**
   * Replaces every second from `from` (ms epoch) on in the live view with the committed
   * partials (kafkaSource: the restore path). With it, a sealed batch is shown before its
   * transaction commits, and this takes a failed one out again; without it, batches join the
   * live view only once committed.
   */
  rebuild?: (from: number) => Promise<void>;
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

/** Records staged in `batch`. */
function recordsOf(batch: readonly OpenCheckpoint[]): number {
  let n = 0;
  for (const b of batch) n += b.staged.records;
  return n;
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

/** A checkpoint sealed (its partials encoded) and waiting for, or in, a transaction. */
interface SealedCheckpoint extends OpenCheckpoint {
  partials: EncodedPartial[];
  /** False when encoding failed for a non-retriable reason: the offsets commit alone. */
  usable: boolean;
  /** The oldest second its partials touch (ms epoch), null with none. */
  from: number | null;
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
 * are aggregated aside (a staged delta); when due the delta is sealed into per-second
 * partials and, at once, shown in the live view (detection reads it from there); one Kafka
 * transaction then produces those partials and the input offsets they cover. Exactly once is
 * a property of the durable state (partials + offsets commit together); the live view runs
 * ahead of it by at most the transactions on the wire, so a slow broker never delays what the
 * screens and detection see. A failed transaction leaves its shown delta in the live view:
 * before anything is read again, `rebuild` replaces every second from the oldest one it
 * touched with the committed partials (the restore path), so no record counts twice. The
 * consumer is then replaced and re-reads from the committed offsets (the broker-outage path).
 */
export function createCheckpointer(cfg: CheckpointConfig, deps: CheckpointerDeps): Checkpointer {
  const log = deps.logger;
  const m = deps.metrics;
  let producer: Producer | undefined;
  let broken = true;
  let open: OpenCheckpoint | undefined;
  /** Sealed checkpoints waiting for the next transaction, oldest first. */
  const sealed: SealedCheckpoint[] = [];
  /** Seals in order: each resolves once its checkpoint is in `sealed` (or dropped). */
  let sealing: Promise<void> = Promise.resolve();
  /** Checkpoints whose commit was sent but not answered. */
  let pending: SealedCheckpoint[] = [];
  /**
   * The oldest second of a delta that was shown and will not commit: the live view must be
   * rebuilt from there before its records are read again. Null when nothing is to undo.
   */
  let dirtyFrom: number | null = null;
  /** A rebuild is due or running: sealed batches wait for their commit to join the view. */
  let rebuilding = false;
  let chain: Promise<boolean> = Promise.resolve(true);
  let timer: NodeJS.Timeout | undefined;
  const fences: number[] = [];
  /** How long the last committed transaction took, ms. */
  let lastTxnMs = 0;
  /** Rebalances seen (`revoke` calls): a transaction begun before one must not commit. */
  let revocations = 0;

  /** Drops sealed checkpoints that will not commit; those already shown must be rebuilt. */
  const dirty = (batch: readonly SealedCheckpoint[]): void => {
    for (const b of batch) {
      b.staged.drop();
      if (b.staged.shown && b.from !== null) dirtyFrom = Math.min(dirtyFrom ?? b.from, b.from);
    }
  };

  const fail = (
    result: 'aborted' | 'unknown' | null,
    err: unknown,
    step: string,
    batch: readonly SealedCheckpoint[],
  ): void => {
    broken = true;
    open = undefined;
    dirty(batch);
    dirty(sealed.splice(0));
    if (result) m.transactions.labels(result).inc();
    const fenced = isFenced(err);
    const e = new KafkaSourceError(
      fenced ? 'producer_fenced' : 'checkpoint_failed',
      fenced
        ? `checkpoint producer fenced: another process uses kafka.instanceId "${cfg.instanceId}"`
        : `checkpoint transaction failed at ${step} (${result ?? 'not begun'}): its records are read again`,
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

  /** Whether a sealed batch may join the live view before its transaction commits. */
  const showEarly = (): boolean =>
    deps.rebuild !== undefined && !rebuilding && (deps.partialsAvailable?.() ?? true);

  /**
   * Seals the open checkpoint now (a pipeline worker seals what it was handed so far: called
   * before anything awaits) and, once its partials are back, queues it for the next
   * transaction and shows it in the live view.
   */
  const seal = (): Promise<void> => {
    const o = open;
    if (!o || broken) return sealing;
    open = undefined;
    const generation = revocations;
    let encoded: Promise<EncodedPartial[]>;
    try {
      encoded = Promise.resolve(o.staged.encode(cfg.instanceId));
    } catch (err) {
      encoded = Promise.reject(err);
    }
    const before = sealing;
    sealing = (async () => {
      let partials: EncodedPartial[] = [];
      let usable = true;
      let failed: unknown;
      try {
        partials = await encoded;
      } catch (err) {
        if ((err as { retriable?: unknown }).retriable === true) failed = err;
        else {
          // a pipeline bug: re-reading would fail the same way forever, so commit the offsets
          usable = false;
          log.error(
            { err, records: o.staged.records },
            'could not encode partials; records dropped',
          );
        }
      }
      await before;
      if (broken || generation !== revocations) {
        // failed or rebalanced meanwhile: never shown, its records are read again
        o.staged.drop();
        return;
      }
      if (failed) {
        // the delta was lost (a pipeline worker died): read its records again
        fail('aborted', failed, 'encode', []);
        return;
      }
      let from: number | null = null;
      for (const p of partials) from = Math.min(from ?? p.t, p.t);
      sealed.push({ ...o, partials, usable, from });
      if (usable && showEarly()) void o.staged.show();
    })();
    return sealing;
  };

  /** Produces every sealed checkpoint's partials and offsets in one transaction. */
  const commit = async (): Promise<boolean> => {
    await sealing;
    if (broken) return false;
    const batch = sealed.splice(0);
    if (batch.length === 0) return true;
    const p = producer as Producer;
    const generation = revocations;
    const started = performance.now();
    const offsets = new Map<number, number>();
    const partials: EncodedPartial[] = [];
    for (const b of batch) {
      if (b.usable) partials.push(...b.partials);
      for (const [part, next] of b.offsets) {
        if (next > (offsets.get(part) ?? -1)) offsets.set(part, next);
      }
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
      const parts = [...offsets].map(([partition, next]) => ({
        partition,
        offset: String(next),
      }));
      await txn.sendOffsets({
        consumerGroupId: cfg.groupId,
        topics: [{ topic: cfg.topic, partitions: parts }],
      });
    } catch (err) {
      // best effort: the next producer's InitProducerId aborts it anyway
      const abort = txn?.abort().catch(() => undefined);
      await Promise.race([abort, new Promise((r) => setTimeout(r, ABORT_TIMEOUT_MS).unref())]);
      fail('aborted', err, step, batch);
      return false;
    }
    if (revocations !== generation) {
      // the group began rebalancing while this transaction was being written: its partitions
      // may already be someone else's, who starts from the committed offsets. Abort rather than
      // commit behind their back; whoever owns the partitions now reads the records again (and
      // the rebuild `revoke` queued takes its shown delta out of the live view).
      await Promise.race([
        txn.abort().catch(() => undefined),
        new Promise((r) => setTimeout(r, ABORT_TIMEOUT_MS).unref()),
      ]);
      dirty(batch);
      m.revoked.inc();
      m.transactions.labels('aborted').inc();
      log.info(
        { records: recordsOf(batch), partitions: [...offsets.keys()] },
        'rebalance: checkpoint in flight aborted before its commit; its records are read again',
      );
      return true;
    }
    try {
      await txn.commit();
    } catch (err) {
      pending = batch;
      fail('unknown', err, 'commit', batch);
      return false;
    }
    for (const b of batch) applied(b, b.usable);
    m.partialsProduced.inc(toTopic ? partials.length : 0);
    let bytes = 0;
    for (const x of toTopic ? partials : []) bytes += x.value.length;
    m.partialBytes.inc(bytes);
    m.transactions.labels('committed').inc();
    lastTxnMs = performance.now() - started;
    m.transactionSeconds.observe(lastTxnMs / 1000);
    return true;
  };

  const applied = (o: SealedCheckpoint, usable: boolean): void => {
    if (usable) o.staged.apply();
    for (const [partition, next] of o.offsets) {
      if (next > (deps.processed.get(partition) ?? -1)) deps.processed.set(partition, next);
    }
  };

  /**
   * Takes the shown deltas that will not commit out of the live view (see `dirty`); on
   * failure the consumer is replaced, and `connect` tries again before anything is re-read.
   */
  const rebuildIfDirty = async (): Promise<void> => {
    await sealing;
    const from = dirtyFrom;
    // broken: `connect` rebuilds before the new consumer reads
    if (from === null || broken || !deps.rebuild) {
      if (!broken) rebuilding = false;
      return;
    }
    try {
      await deps.rebuild(from);
      if (dirtyFrom === from) dirtyFrom = null;
      m.rebuilds.inc();
    } catch (err) {
      // the consumer restarts; `connect` rebuilds before it reads anything again
      log.warn({ err, code: 'rebuild_failed', from }, 'could not rebuild the live view');
      fail(null, err, 'rebuild', []);
      return;
    }
    rebuilding = dirtyFrom !== null;
  };

  const flush = (): Promise<boolean> => {
    void seal();
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
    const before = inFlight;
    if (open && deps.now() >= dueAt(open.since)) {
      // sealed now, whatever is on the wire: the live view shows it once its partials are back
      const run = flush();
      inFlight = run;
      void run.then(() => {
        if (inFlight === run) inFlight = undefined;
      });
    }
    // waiting here would stall the input for a whole round trip: keep staging, within bounds
    const staged = recordsOf(sealed) + (open?.staged.records ?? 0);
    if (before && staged >= maxStaged && !(await before)) return false;
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
      await sealing;
      const old = producer;
      producer = undefined;
      broken = true;
      open = undefined;
      dirty(sealed.splice(0));
      await old?.disconnect().catch(() => undefined);
      const p = deps.kafka.producer(checkpointProducerConfig(cfg));
      try {
        await p.connect();
        await (await p.transaction()).abort();
        const offsets = await committed();
        if (pending.length) {
          const batch = pending;
          const last = batch[batch.length - 1] as SealedCheckpoint;
          const done = [...last.offsets].every(([part, next]) => (offsets.get(part) ?? -1) >= next);
          // committed: a delta not shown joins now; one shown is in the rebuild's partials
          if (done) for (const b of batch) applied(b, b.usable && !b.staged.shown);
          log.info(
            { committed: done, records: recordsOf(batch) },
            'settled the checkpoint whose commit answer was lost',
          );
          pending = [];
        }
        deps.processed.clear();
        for (const [part, next] of offsets) if (next >= 0) deps.processed.set(part, next);
        // before anything is read again: the shown deltas that did not commit go (the
        // fenced predecessor's transaction is settled by now, so Kafka's partials are final)
        if (dirtyFrom !== null && deps.rebuild) {
          const from = dirtyFrom;
          await deps.rebuild(from);
          dirtyFrom = null;
          m.rebuilds.inc();
        }
        dirtyFrom = null;
        rebuilding = false;
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
      // sealed ones not yet in a transaction must not commit either (one in flight aborts)
      const queued = sealed.splice(0);
      dirty(queued);
      // until the rebuild, sealed batches join the live view only once committed
      rebuilding = deps.rebuild !== undefined;
      const run = chain.then(async (ok) => {
        await rebuildIfDirty();
        return ok;
      });
      chain = run.catch(() => false);
      settling = chain;
      const dropped = (o ? [o] : []).concat(queued);
      if (dropped.length === 0) return 0;
      m.revoked.inc(dropped.length);
      const records = recordsOf(dropped);
      log.info(
        { records, partitions: [...new Set(dropped.flatMap((x) => [...x.offsets.keys()]))] },
        'rebalance: staged checkpoint dropped uncommitted; its records are read again',
      );
      return records;
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
      await sealing;
      broken = true;
      const p = producer;
      producer = undefined;
      await p?.disconnect().catch(() => undefined);
    },
  };
}
