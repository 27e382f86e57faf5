import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { Logger } from 'pino';
import type { Checkpointer } from './kafkaCheckpoint.js';
import type { KafkaMetrics } from './kafkaMetrics.js';
import type { RateMeter } from './kafkaRate.js';
import type { RecordDecoder } from './kafkaRecords.js';
import type { DecodeSummary } from './source.js';

/** Messages handed to the sink at once: bounds memory and keeps heartbeats flowing. */
const CHUNK = 2_000;
const BACKPRESSURE_POLL_MS = 50;
/**
 * Longest the handler decodes and stages before the event loop gets a turn, ms. kafkajs
 * chains one batch's handler to the next through promises, and `heartbeat()` resolves at
 * once when none is due, so without this a fetch's batches run back to back as microtasks:
 * with no pipeline worker (one core) that held the 1 Hz ticks to every browser, and socket
 * writes, up for 300 ms and more while a backlog was read.
 */
export const YIELD_AFTER_MS = 10;

export interface BatchHandlerDeps {
  topic: string;
  decoder: RecordDecoder;
  /** Stages the flows and commits them with their offsets in one transaction. */
  checkpoint: Pick<
    Checkpointer,
    'position' | 'add' | 'takesRaw' | 'commitIfDue' | 'flush' | 'broken' | 'settle'
  >;
  now: () => number;
  logger: Logger;
  metrics: KafkaMetrics;
  rate: RateMeter;
  isBehind?: (() => boolean) | undefined;
  /** True while a partition taken over at a join waits (kafkaJoin.ts): not staged yet. */
  held?: (partition: number) => boolean;
  /** False once this consumer was replaced or the source stopped: backpressure polling ends. */
  isCurrent: (c: Consumer) => boolean;
  timers: Set<NodeJS.Timeout>;
}

export interface BatchHandler {
  /** The `eachBatch` for consumer `c` (run with eachBatchAutoResolve: false, autoCommit: false). */
  eachBatch(c: Consumer): (payload: EachBatchPayload) => Promise<void>;
  readonly paused: boolean;
}

/**
 * Decode → stage → resolve, chunk by chunk, then checkpoint when due: the staged flows and
 * their offsets commit in one transaction (kafkaCheckpoint.ts), and only then do they reach
 * the live view. Offsets already staged or committed by this process (a consumer restart
 * replays from the last commit) are skipped. Nothing here throws: a throw out of eachBatch
 * would replay the batch forever. A failed checkpoint ends the batch; the source then
 * replaces the consumer, which resumes from the committed offsets.
 */
export function createBatchHandler(deps: BatchHandlerDeps): BatchHandler {
  const log = deps.logger;
  let paused = false;
  /** When the event loop last had a turn between chunks (shared by consecutive batches). */
  let lastTurn = performance.now();

  const pauseWhileBehind = (c: Consumer): void => {
    if (paused || !deps.isBehind?.()) return;
    paused = true;
    deps.metrics.paused.set(1);
    deps.metrics.pauses.inc();
    c.pause([{ topic: deps.topic }]);
    const poll = (): void => {
      if (!deps.isCurrent(c)) {
        paused = false;
        deps.metrics.paused.set(0);
        return;
      }
      if (deps.isBehind?.()) {
        const t = setTimeout(poll, BACKPRESSURE_POLL_MS);
        t.unref();
        deps.timers.add(t);
        return;
      }
      paused = false;
      deps.metrics.paused.set(0);
      c.resume([{ topic: deps.topic }]);
    };
    poll();
  };

  return {
    get paused() {
      return paused;
    },
    eachBatch: (c) =>
      async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }) {
        if (!deps.isCurrent(c) || deps.checkpoint.broken) return;
        // after a rebalance, a transaction still in flight decides where this partition resumes
        await deps.checkpoint.settle();
        const started = performance.now();
        const { partition, messages } = batch;
        if (deps.held?.(partition)) {
          // taken over moments ago (a backpressure resume let it through): not resolved, so it
          // is fetched again, from the offset the takeover seeks to
          c.pause([{ topic: deps.topic, partitions: [partition] }]);
          return;
        }
        const highWatermark = Number(batch.highWatermark);
        let next = deps.checkpoint.position(partition);
        for (let i = 0; i < messages.length; i += CHUNK) {
          if (!isRunning() || isStale() || deps.checkpoint.broken || !deps.isCurrent(c)) break;
          const chunk = messages.slice(i, i + CHUNK);
          const last = chunk[chunk.length - 1];
          if (!last) break;
          const now = deps.now();
          const skipBelow = next;
          next = Math.max(next, Number(last.offset) + 1);
          try {
            if (deps.checkpoint.takesRaw()) {
              // a pipeline worker has time: it decodes these itself
              const { values, kept } = deps.decoder.prepare(chunk, skipBelow);
              const onDecoded = (s: DecodeSummary): void => {
                deps.decoder.account(partition, kept, s, now);
                deps.rate.add(s.flows, now);
              };
              deps.checkpoint.add(partition, { values, now, onDecoded }, next, highWatermark);
            } else {
              const flows = deps.decoder.decode(partition, chunk, skipBelow, now);
              deps.checkpoint.add(partition, flows, next, highWatermark);
              deps.rate.add(flows.length, now);
            }
          } catch (err) {
            // a pipeline bug: log it, never replay the partition forever
            log.error({ err, partition, offset: last.offset }, 'staging failed; records dropped');
            deps.checkpoint.add(partition, [], next, highWatermark);
          }
          resolveOffset(last.offset);
          try {
            await heartbeat();
          } catch (err) {
            // a rebalance is under way: stop, checkpoint what was staged, let kafkajs rejoin
            log.debug({ err, partition }, 'heartbeat refused; ending the batch early');
            await deps.checkpoint.flush();
            break;
          }
          if (performance.now() - lastTurn >= YIELD_AFTER_MS) {
            // timers (the ticks) and I/O (sockets) run before the next chunk
            await nextTurn();
            lastTurn = performance.now();
          }
        }
        await deps.checkpoint.commitIfDue();
        deps.metrics.batches.inc();
        deps.metrics.batchSeconds.observe((performance.now() - started) / 1000);
        pauseWhileBehind(c);
      },
  };
}
