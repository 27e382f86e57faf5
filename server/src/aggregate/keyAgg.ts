import { emptyCounters, type Counters } from './counters.js';
import { HyperLogLog } from './hll.js';
import { SpaceSaving } from './spaceSaving.js';

/** Heavy-hitter counters per key: enough to name the top sources of any subject. */
export const TOP_SOURCES_K = 8;

/** What an open bucket keeps per key: exact counters, distinct sources, top sources by bytes. */
export interface KeyAgg {
  c: Counters;
  src: HyperLogLog;
  top: SpaceSaving;
}

export function emptyKeyAgg(): KeyAgg {
  return { c: emptyCounters(), src: new HyperLogLog(), top: new SpaceSaving(TOP_SOURCES_K) };
}

/** Folds `b` into `a`. */
export function mergeKeyAgg(a: KeyAgg, b: KeyAgg): void {
  a.c.bytes += b.c.bytes;
  a.c.packets += b.c.packets;
  a.c.flows += b.c.flows;
  a.src.merge(b.src);
  a.top.merge(b.top);
}
