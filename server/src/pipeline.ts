import type { Flow } from '@surgewatch/shared';
import type { Aggregator } from './aggregate/index.js';
import type { GeoLookup } from './enrich/index.js';
import type { SourceKeys } from './flow.js';
import type { FlowSink } from './ingest/source.js';
import type { pipelineMetrics } from './metrics.js';

/**
 * The sink every source feeds: enrich each flow, then aggregate it. Synchronous, so when it
 * returns the flows are aggregated and a source may commit their offsets.
 */
export function createPipeline(
  geo: GeoLookup,
  aggregator: Aggregator,
  metrics: ReturnType<typeof pipelineMetrics>,
): FlowSink {
  const keys: SourceKeys = { country: '' };
  return (flows: readonly Flow[]) => {
    let ok = 0;
    let late = 0;
    let bytes = 0;
    for (const flow of flows) {
      keys.country = geo.country(flow.src);
      if (aggregator.add(flow, keys)) {
        ok++;
        bytes += flow.bytes;
      } else late++;
    }
    if (ok) metrics.flows.inc(ok);
    if (late) metrics.late.inc(late);
    if (bytes) metrics.bytes.inc(bytes);
  };
}
