/**
 * The server's programmatic surface, for the cross-package harnesses in test/ (benchmarks,
 * load) and for flowgen: the pure core and the demo scenario. The process entry is main.ts.
 */
export {
  Aggregator,
  aggregatorOptions,
  DEFAULT_LIMITS,
  encodePartials,
  mergePartial,
  type AggregatorOptions,
} from './aggregate/index.js';
export {
  createEnricher,
  createGeoLookup,
  emptyKeys,
  openAsnTable,
  openCountryTable,
} from './enrich/index.js';
export { decodeMessage, type DecodeContext, type InputFormat } from './ingest/decode/index.js';
export {
  encodeGoflow2Json,
  encodeGoflow2Pb,
  encodePmacctJson,
  encodeSurgewatch,
} from './ingest/decode/encode.js';
export { createScenario, DEMO_SAMPLING, type Scenario } from './ingest/demo/index.js';
export type { FlowKeys } from './flow.js';
export { HEAP_GROWING_PERCENT, tuneHeap } from './heap.js';
