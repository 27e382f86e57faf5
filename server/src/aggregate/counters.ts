/** Exact sums for one key in one bucket. `bytes` and `packets` are after sampling scale-up. */
export interface Counters {
  bytes: number;
  packets: number;
  flows: number;
}

export function emptyCounters(): Counters {
  return { bytes: 0, packets: 0, flows: 0 };
}

/** Adds `b` into `a` in place. */
export function addInto(a: Counters, b: Counters): void {
  a.bytes += b.bytes;
  a.packets += b.packets;
  a.flows += b.flows;
}
