import { AGG_DIMENSIONS, OTHER_KEY, type AggDimension } from '@surgewatch/shared';
import { addInto, emptyCounters, type Counters } from './counters.js';
import { forEachKey, type Bucket } from './bucket.js';
import { HyperLogLog } from './hll.js';

/** A coarser bucket (a minute by default) built from the seconds that aged out of retention. */
export interface Rollup {
  readonly t: number;
  total: Counters;
  sources: HyperLogLog;
  dims: Record<AggDimension, Map<string, Counters>>;
  complete: boolean;
}

export function emptyRollup(t: number): Rollup {
  const dims = {} as Record<AggDimension, Map<string, Counters>>;
  for (const d of AGG_DIMENSIONS) dims[d] = new Map();
  return { t, total: emptyCounters(), sources: new HyperLogLog(), dims, complete: false };
}

/** Folds one second into its rollup. */
export function foldInto(r: Rollup, b: Bucket): void {
  addInto(r.total, b.total);
  r.sources.merge(b.sources);
  for (const d of AGG_DIMENSIONS) {
    const m = r.dims[d];
    forEachKey(b, d, (key, counters) => {
      let c = m.get(key);
      if (!c) {
        c = emptyCounters();
        m.set(key, c);
      }
      addInto(c, counters);
    });
  }
}

/** Keeps the heaviest `keep` keys of each dimension, summing the rest into "other". */
export function compactRollup(r: Rollup, keep: Readonly<Record<AggDimension, number>>): void {
  for (const d of AGG_DIMENSIONS) {
    const m = r.dims[d];
    if (m.size <= keep[d]) continue;
    const sorted = [...m.entries()].sort((a, b) => b[1].bytes - a[1].bytes);
    const other = emptyCounters();
    for (const [, c] of sorted.slice(keep[d])) addInto(other, c);
    const next = new Map(sorted.slice(0, keep[d]));
    const o = next.get(OTHER_KEY);
    if (o) addInto(o, other);
    else next.set(OTHER_KEY, other);
    r.dims[d] = next;
  }
  r.complete = true;
}
