export {
  Aggregator,
  type AggregatorOptions,
  type AggregatorStats,
  type Bucket,
  type GroupBy,
  type RangeResult,
} from './aggregator.js';
export { type Counters } from './counters.js';
export { spreadFlow, type Share } from './spread.js';
export { HyperLogLog } from './hll.js';
export { hash32 } from './hash.js';
