import type { Consumer } from 'kafkajs';
import { KafkaSourceError } from './kafkaErrors.js';
import type { KafkaHealth } from './kafkaHealth.js';
import type { KafkaMetrics } from './kafkaMetrics.js';

export interface InstrumentDeps {
  topic: string;
  health: KafkaHealth;
  metrics: KafkaMetrics;
  /** Next offset per partition already covered (advanced past marker-only batches here). */
  processed: Map<number, number>;
  /** The consumer joined its group with these partitions of the topic (before fetching). */
  onJoin: (assigned: number[]) => void;
  /** kafkajs gave up on the consumer after this error: it must be replaced. */
  onGaveUp: (code: string | undefined) => void;
  /** The group is rebalancing; called before kafkajs rejoins (it does not wait for us). */
  onRebalancing?: () => void;
}

/** Feeds a consumer's kafkajs instrumentation events into health, metrics and offsets. */
export function instrumentConsumer(c: Consumer, deps: InstrumentDeps): void {
  const { health, metrics, processed } = deps;
  const {
    GROUP_JOIN,
    FETCH,
    CRASH,
    DISCONNECT,
    STOP,
    REQUEST_TIMEOUT,
    END_BATCH_PROCESS,
    REBALANCING,
  } = c.events;
  c.on(REBALANCING, () => deps.onRebalancing?.());
  c.on(GROUP_JOIN, (e) => {
    metrics.rebalances.inc();
    const assigned = e.payload.memberAssignment[deps.topic] ?? [];
    deps.onJoin(assigned);
    health.consumerJoined(assigned);
  });
  c.on(FETCH, () => health.brokerAnswered());
  // batches of control records (transaction markers) or aborted data skip eachBatch
  c.on(END_BATCH_PROCESS, (e) => {
    if (e.payload.topic !== deps.topic || e.payload.batchSize > 0) return;
    const next = Number(e.payload.lastOffset) + 1;
    if (next > (processed.get(e.payload.partition) ?? -1)) processed.set(e.payload.partition, next);
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
    if (!restartsItself) deps.onGaveUp(err?.code);
  });
}
