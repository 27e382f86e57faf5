import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * How long a partition this consumer did not own before stays paused after a join. The
 * previous owner aborts a checkpoint that had not sent its commit when the rebalance began
 * (kafkaCheckpoint.ts `revoke`), but a commit already on the wire still lands; it takes one
 * round trip to the transaction coordinator. Waiting this out and then reading the committed
 * offsets again closes the gap kafkajs leaves open (no generation-fenced TxnOffsetCommit,
 * KIP-447): otherwise the new owner could start from the offsets before that commit and count
 * its records a second time.
 */
export const TAKEOVER_GRACE_MS = 1_000;

export interface JoinGuardDeps {
  topic: string;
  /** The group's committed offsets per partition (-1: none). */
  committed: () => Promise<Map<number, number>>;
  /**
   * Whether this consumer is the group's only member: then no other instance can have a
   * commit on the wire (this process's own predecessor was fenced when its producer
   * connected), and partitions start at once. Optional; on error the grace applies.
   */
  alone?: () => Promise<boolean>;
  logger: Logger;
  graceMs?: number;
  /** Counts partitions taken over (waited out, offsets re-read). */
  onTakeover?: (partitions: number) => void;
  timers?: Set<NodeJS.Timeout>;
}

export interface JoinGuard {
  /** The consumer joined with `assigned` partitions (call from GROUP_JOIN, before fetching). */
  joined(c: Consumer, assigned: readonly number[]): void;
  /** True while `partition` waits out its takeover: its records must not be staged yet. */
  held(partition: number): boolean;
  /** A new consumer starts: it owns nothing yet. */
  reset(): void;
}

/**
 * Takes over partitions safely: on each join, partitions newly assigned are paused for
 * `graceMs` (not at all when this consumer is the group's only member), then seeked to the
 * offsets committed by then and resumed. Partitions kept
 * across the rebalance carry on at once (this process's own in-flight checkpoint is settled
 * by the checkpointer).
 */
export function createJoinGuard(deps: JoinGuardDeps): JoinGuard {
  const grace = deps.graceMs ?? TAKEOVER_GRACE_MS;
  let owned = new Set<number>();
  const waiting = new Set<number>();
  let generation = 0;

  const release = async (c: Consumer, fresh: number[], gen: number): Promise<void> => {
    let offsets: Map<number, number> | undefined;
    try {
      offsets = await deps.committed();
    } catch (err) {
      // the coordinator is moving: kafkajs's own offsets are the best we have
      deps.logger.warn({ err, partitions: fresh }, 'could not re-read committed offsets');
    }
    if (gen !== generation) return; // another join decides now
    for (const p of fresh) {
      const o = offsets?.get(p);
      if (o !== undefined && o >= 0) c.seek({ topic: deps.topic, partition: p, offset: String(o) });
      waiting.delete(p);
    }
    c.resume([{ topic: deps.topic, partitions: fresh }]);
    deps.onTakeover?.(fresh.length);
    deps.logger.info(
      { partitions: fresh, offsets: offsets ? fresh.map((p) => offsets.get(p) ?? -1) : null },
      'took over partitions from the committed offsets',
    );
  };

  return {
    joined(c, assigned) {
      const gen = ++generation;
      // still waiting from a join this one supersedes: they wait afresh
      const fresh = assigned.filter((p) => !owned.has(p) || waiting.has(p));
      owned = new Set(assigned);
      waiting.clear();
      if (fresh.length === 0) return;
      for (const p of fresh) waiting.add(p);
      c.pause([{ topic: deps.topic, partitions: fresh }]);
      void (async () => {
        let wait = grace;
        try {
          if (deps.alone && (await deps.alone())) wait = 0;
        } catch {
          /* unknown: wait */
        }
        if (gen !== generation) return;
        const timer = setTimeout(() => {
          deps.timers?.delete(timer);
          void release(c, fresh, gen);
        }, wait);
        timer.unref();
        deps.timers?.add(timer);
      })();
    },
    held: (partition) => waiting.has(partition),
    reset() {
      generation++;
      owned = new Set();
      waiting.clear();
    },
  };
}
