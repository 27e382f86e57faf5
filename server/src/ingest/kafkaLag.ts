import type { Admin } from 'kafkajs';

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

/** The group's committed offsets for `topic` (next offset to read; -1 = none), by partition. */
export async function committedOffsets(
  admin: Pick<Admin, 'fetchOffsets'>,
  groupId: string,
  topic: string,
): Promise<Map<number, number>> {
  const groups = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map(
    (groups[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)] as const),
  );
}

/**
 * Reads the watermarks (which also probes the broker: throws when it does not answer) and
 * the committed offsets, and computes the lag. Committed offsets that cannot be read (the
 * coordinator is loading or moving) are left out: our own progress still gives the lag.
 */
export async function probeLag(
  admin: Pick<Admin, 'fetchOffsets' | 'fetchTopicOffsets'>,
  cfg: { groupId: string; topic: string; fromBeginning: boolean },
  processed: ReadonlyMap<number, number>,
  timeout: <T>(p: Promise<T>, what: string) => Promise<T>,
): Promise<LagReport> {
  const watermarks = await timeout(admin.fetchTopicOffsets(cfg.topic), 'fetchTopicOffsets');
  const committed = await timeout(
    committedOffsets(admin, cfg.groupId, cfg.topic),
    'fetchOffsets',
  ).catch(() => new Map<number, number>());
  return computeLag(watermarks, committed, processed, cfg.fromBeginning);
}
