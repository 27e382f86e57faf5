import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaMetrics } from './kafkaMetrics.js';
import type { RateMeter } from './kafkaRate.js';
import type { RecordDecoder } from './kafkaRecords.js';
import type { FlowSink } from './source.js';

/** Messages handed to the sink at once: bounds memory and keeps heartbeats flowing. */
const CHUNK = 2_000;
const BACKPRESSURE_POLL_MS = 50;

export interface BatchHandlerDeps {
  topic: string;
  decoder: RecordDecoder;
  sink: FlowSink;
  now: () => number;
  logger: Logger;
  metrics: KafkaMetrics;
  rate: RateMeter;
  /** Next offset to process per partition: what this process has aggregated. */
  processed: Map<number, number>;
  isBehind?: (() => boolean) | undefined;
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
 * Decode → sink → resolve → commit, chunk by chunk. The sink aggregates before it returns,
 * so every committed offset covers aggregated records only. Offsets this process already
 * aggregated (a consumer restart replays from the last commit) are skipped. Nothing here
 * throws: a throw out of eachBatch would replay the batch forever. The commit step is where
 * a transactional producer's `sendOffsets` goes once partials are produced.
 */
export function createBatchHandler(deps: BatchHandlerDeps): BatchHandler {
  const log = deps.logger;
  let paused = false;

  const commit = async (c: Consumer, partition: number, next: number): Promise<void> => {
    try {
      await c.commitOffsets([{ topic: deps.topic, partition, offset: String(next) }]);
      deps.metrics.commits.labels('ok').inc();
    } catch (err) {
      // a later commit covers these offsets too; meanwhile `processed` stops a replay
      deps.metrics.commits.labels('failed').inc();
      log.warn({ err, partition, offset: next }, 'offset commit failed');
    }
  };

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
        const started = performance.now();
        const { partition, messages } = batch;
        const before = deps.processed.get(partition) ?? -1;
        let next = before;
        for (let i = 0; i < messages.length && isRunning() && !isStale(); i += CHUNK) {
          const chunk = messages.slice(i, i + CHUNK);
          const last = chunk[chunk.length - 1];
          if (!last) break;
          const now = deps.now();
          const flows = deps.decoder.decode(partition, chunk, next, now);
          try {
            deps.sink(flows);
          } catch (err) {
            // a pipeline bug: log it, never replay the partition forever
            log.error({ err, partition, offset: last.offset }, 'sink failed; records dropped');
          }
          deps.rate.add(flows.length, now);
          resolveOffset(last.offset);
          next = Math.max(next, Number(last.offset) + 1);
          deps.processed.set(partition, next);
          try {
            await heartbeat();
          } catch (err) {
            // a rebalance is under way: stop, commit what was aggregated, let kafkajs rejoin
            log.debug({ err, partition }, 'heartbeat refused; ending the batch early');
            break;
          }
        }
        if (next > before) await commit(c, partition, next);
        deps.metrics.batches.inc();
        deps.metrics.batchSeconds.observe((performance.now() - started) / 1000);
        pauseWhileBehind(c);
      },
  };
}
