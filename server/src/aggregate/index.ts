export {
  Aggregator,
  aggregatorOptions,
  DEFAULT_LIMITS,
  DEFAULT_SAMPLE,
  type AggregatorOptions,
  type SampleOptions,
  type AggregatorStats,
  type Horizons,
  type RangeResult,
  type TopEntry,
} from './aggregator.js';
export { type Bucket, type SealLimits } from './bucket.js';
export { type Counters } from './counters.js';
export { spreadFlow, type Share } from './spread.js';
export { HyperLogLog } from './hll.js';
export { SpaceSaving, type Hitter } from './spaceSaving.js';
export { hash32 } from './hash.js';
export {
  encodePartials,
  encodePartialJson,
  mergePartial,
  PartialError,
  PARTIAL_VERSION,
  type PartialJson,
} from './partial.js';
export {
  FlowSample,
  flowHash,
  priorityOf,
  type FlowSampleJson,
  type SampledFlow,
} from './flowSample.js';
