import { emptyCounters, type Counters } from './counters.js';
import { HyperLogLog } from './hll.js';
import { SpaceSaving } from './spaceSaving.js';

/** Heavy-hitter counters per key: enough to name the top sources of any subject. */
export const TOP_SOURCES_K = 8;

/**
 * What an open bucket keeps per key: exact counters, top sources by bytes, and distinct
 * sources. Most keys of a flood (an AS, a destination) see a handful of sources a second:
 * while the top-sources summary has never evicted, it holds every source and is the exact
 * distinct count, so the HyperLogLog is made only when a key outgrows it.
 */
export interface KeyAgg {
  c: Counters;
  /** null while `top` holds every source seen. */
  src: HyperLogLog | null;
  top: SpaceSaving;
}

export function emptyKeyAgg(): KeyAgg {
  return { c: emptyCounters(), src: null, top: new SpaceSaving(TOP_SOURCES_K) };
}

/** Records one source (by address and 32-bit hash) with its bytes. */
export function addSource(agg: KeyAgg, src: string, bytes: number, hash: number): void {
  const evicted = agg.top.add(src, bytes, hash);
  if (agg.src) agg.src.add(hash);
  else if (evicted >= 0) {
    agg.src = sketchOf(agg.top);
    agg.src.add(evicted);
  }
}

function sketchOf(top: SpaceSaving): HyperLogLog {
  const h = new HyperLogLog();
  for (const x of top.hashList()) h.add(x);
  return h;
}

/** Distinct sources of a key (exact while small, else an estimate). */
export function distinctOf(agg: KeyAgg): number {
  return agg.src ? agg.src.estimate() : agg.top.size;
}

/** The distinct-source sketch of a key, made from its top sources when it has none. */
export function sketchFor(agg: KeyAgg): HyperLogLog {
  return agg.src ?? sketchOf(agg.top);
}

/** Folds `b` into `a`. */
export function mergeKeyAgg(a: KeyAgg, b: KeyAgg): void {
  a.c.bytes += b.c.bytes;
  a.c.packets += b.c.packets;
  a.c.flows += b.c.flows;
  if (!a.src && !b.src) {
    // both exact: the size of the union of their sources decides whether a sketch is needed
    const mine = a.top.hashList();
    const theirs = b.top.hashList();
    let extra = 0;
    for (const h of theirs) if (!mine.includes(h)) extra++;
    if (mine.length + extra > TOP_SOURCES_K) {
      a.src = sketchOf(a.top);
      for (const h of theirs) a.src.add(h);
    }
  } else {
    a.src ??= sketchOf(a.top);
    a.src.merge(b.src ?? sketchOf(b.top));
  }
  a.top.merge(b.top);
}
