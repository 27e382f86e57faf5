/** One partition's watermarks as admin.fetchTopicOffsets reports them (offsets as decimal strings). */
export interface PartitionWatermarks {
  partition: number;
  /** Offset of the next record to be written. */
  high: string;
  /** Offset of the oldest record still kept. */
  low: string;
}

export interface LagReport {
  /** Records not yet consumed, summed over partitions. */
  total: number;
  byPartition: Map<number, number>;
}

/**
 * Consumer lag in records: for each partition, high watermark minus the position the group
 * has reached — the larger of its committed offset and what this instance has processed (it
 * commits after the sink, so processed runs ahead). A partition the group never committed
 * counts from the low watermark when reading from the beginning, else as caught up.
 * `committed` uses -1 for "no commit", as kafkajs does.
 */
export function computeLag(
  watermarks: readonly PartitionWatermarks[],
  committed: ReadonlyMap<number, number>,
  processed: ReadonlyMap<number, number>,
  fromBeginning: boolean,
): LagReport {
  const byPartition = new Map<number, number>();
  let total = 0;
  for (const w of watermarks) {
    const high = Number(w.high);
    const low = Number(w.low);
    const c = committed.get(w.partition) ?? -1;
    const p = processed.get(w.partition) ?? -1;
    let position = Math.max(c, p);
    if (position < 0) position = fromBeginning ? low : high;
    const lag = Math.max(0, high - Math.max(position, low));
    byPartition.set(w.partition, lag);
    total += lag;
  }
  return { total, byPartition };
}
