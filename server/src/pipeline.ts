import type { Flow } from '@surgewatch/shared';
import type { Aggregator } from './aggregate/index.js';
import type { Enricher } from './enrich/index.js';
import { emptyKeys } from './enrich/index.js';
import type { FlowSink } from './ingest/source.js';
import type { pipelineMetrics } from './metrics.js';

/**
 * The sink every source feeds: each batch is enriched and aggregated into a delta, which is
 * then merged into the live aggregate — the same delta a Kafka source checkpoints, so the
 * live view and the durable state are built one way. Synchronous: when it returns the flows
 * are aggregated and a source may commit their offsets.
 */
export function createPipeline(
  enricher: Enricher,
  aggregator: Aggregator,
  metrics: ReturnType<typeof pipelineMetrics>,
): FlowSink {
  const keys = emptyKeys();
  return (flows: readonly Flow[]) => {
    const delta = aggregator.createDelta();
    let bytes = 0;
    for (const flow of flows) {
      enricher.keys(flow, keys);
      if (delta.add(flow, keys)) bytes += flow.bytes;
    }
    const before = aggregator.getStats();
    aggregator.merge(delta);
    const after = aggregator.getStats();
    metrics.flows.inc(after.flows - before.flows);
    if (after.late > before.late) metrics.late.inc(after.late - before.late);
    if (bytes) metrics.bytes.inc(bytes);
  };
}
