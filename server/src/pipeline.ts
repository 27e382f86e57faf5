import type { Flow } from '@surgewatch/shared';
import { encodePartials, mergePartial, type Aggregator } from './aggregate/index.js';
import type { Enricher } from './enrich/index.js';
import { emptyKeys } from './enrich/index.js';
import type { CheckpointSink, EncodedPartial, FlowSink, StagedBatch } from './ingest/source.js';
import type { pipelineMetrics } from './metrics.js';
import type { PipelineWorkers, Sealed } from './pipelineWorkers.js';

/** Time one event-loop turn spends reading partials back before it yields, ms. */
const READ_SLICE_MS = 8;

/**
 * Merges `partials` into `delta` a slice at a time (READ_SLICE_MS, then the event loop gets
 * a turn); `finish` reads whatever is left at once and returns the delta.
 */
function readSliced(partials: readonly EncodedPartial[], delta: Aggregator) {
  let next = 0;
  let finished = false;
  /** A partial that would not read: `finish` throws it (never an uncaught error here). */
  let failed: unknown = null;
  let read: () => void = () => undefined;
  /** Resolves once every partial is read (or reading failed or was finished at once). */
  const done = new Promise<void>((resolve) => (read = resolve));
  const slice = (): void => {
    if (finished || failed) return read();
    const until = performance.now() + READ_SLICE_MS;
    try {
      while (next < partials.length && performance.now() < until) {
        mergePartial((partials[next++] as EncodedPartial).value, delta);
      }
    } catch (err) {
      failed = err;
      return read();
    }
    if (next < partials.length) setImmediate(slice);
    else read();
  };
  setImmediate(slice);
  return {
    done,
    finish(): Aggregator {
      finished = true;
      if (failed) throw failed;
      while (next < partials.length) {
        mergePartial((partials[next++] as EncodedPartial).value, delta);
      }
      read();
      return delta;
    },
  };
}

/** The pipeline as sources see it: a plain sink (demo, replay) and the checkpointing API (Kafka). */
export interface Pipeline extends CheckpointSink {
  sink: FlowSink;
  /**
   * Kafka: the newest moment (ms epoch, the pipeline's clock) at which a batch that is now in
   * the live view received records — everything the source had read by then is visible.
   * Null before the first batch is shown. Detection waits for it to pass a second. A batch
   * is shown once sealed, before its checkpoint commits; should that checkpoint fail, the
   * rebuild that takes its delta out again moves this back to the last committed batch's
   * moment (its records are read again).
   */
  visibleUntil(): number | null;
}

/**
 * Enrich → aggregate. Every batch is aggregated into a delta first, then merged into the live
 * aggregate: the same delta a Kafka source encodes as partials, so the live view and the
 * durable state are built one way. `sink` merges at once (synchronous: when it returns the
 * flows are aggregated). `stage()` keeps the delta aside until the source's checkpoint seals
 * it: `show()` then merges it while its transaction is on the wire (or `apply()` once it
 * committed); `restore()` folds partials read back from Kafka in, and `rebuild(from)` replaces
 * every second from `from` on with what Kafka holds (a failed checkpoint's delta taken out).
 */
export function createPipeline(
  enricher: Enricher,
  aggregator: Aggregator,
  metrics: ReturnType<typeof pipelineMetrics>,
  opts: {
    now?: () => number;
    onApplied?: () => void;
    /** Kafka: staged batches are enriched and aggregated by these threads (pipelineWorkers.ts). */
    workers?: PipelineWorkers | undefined;
  } = {},
): Pipeline {
  const keys = emptyKeys();
  let visible: number | null = null;
  /** `visible` as of the batches whose checkpoint committed: what a rebuild goes back to. */
  let durable: number | null = null;
  const shown = (lastAdd: number | null): void => {
    if (lastAdd !== null) visible = Math.max(visible ?? lastAdd, lastAdd);
    opts.onApplied?.();
  };
  const committed = (lastAdd: number | null): void => {
    if (lastAdd !== null) durable = Math.max(durable ?? lastAdd, lastAdd);
  };

  /** Aggregates flows into `delta`; returns the bytes of the flows it kept. */
  const addAll = (delta: Aggregator, flows: readonly Flow[]): number => {
    let bytes = 0;
    for (const flow of flows) {
      enricher.keys(flow, keys);
      if (delta.add(flow, keys)) bytes += flow.bytes;
    }
    return bytes;
  };

  /** Merges a delta into the live view; returns what the counters should count for it. */
  const mergeLive = (delta: Aggregator, bytes: number): (() => void) => {
    const before = aggregator.getStats();
    aggregator.merge(delta);
    const after = aggregator.getStats();
    return () => {
      metrics.flows.inc(after.flows - before.flows);
      if (after.late > before.late) metrics.late.inc(after.late - before.late);
      if (bytes) metrics.bytes.inc(bytes);
    };
  };

  let batches = 0;
  /**
   * A batch staged on the worker threads: flows go out packed as they come; `encode` seals
   * the batch on every worker and keeps their partials, which `show` (or `apply`) merges into
   * the live view as a peer's partials are merged (the same exact path).
   */
  const stageOnWorkers = (workers: PipelineWorkers): StagedBatch => {
    const id = ++batches;
    let records = 0;
    let sealed: Sealed | null = null;
    /** The partials read back into the delta the live view adopts at `show` or `apply`. */
    let reading: ReturnType<typeof readSliced> | null = null;
    /** In the live view. */
    let spent = false;
    /** Dropped before it was shown: it never will be. */
    let dropped = false;
    let lastAdd: number | null = null;
    /** The flows counters count a batch once committed (a shown one may be rebuilt out). */
    let count = (): void => undefined;
    const merge = (): void => {
      if (!sealed || !reading) throw new Error('staged batch shown before it was sealed');
      spent = true;
      const delta = reading.finish();
      delta.countLate(sealed.late);
      count = mergeLive(delta, sealed.bytes);
      shown(lastAdd);
    };
    return {
      add(flows) {
        if (spent || sealed) throw new Error('staged batch already sealed');
        workers.add(id, flows, aggregator.horizons());
        records += flows.length;
        if (opts.now) lastAdd = opts.now();
      },
      addRaw(chunk) {
        if (spent || sealed) throw new Error('staged batch already sealed');
        workers.addRaw(id, chunk, aggregator.horizons());
        records += chunk.values.length;
        if (opts.now) lastAdd = opts.now();
      },
      get records() {
        return records;
      },
      async encode(instance) {
        sealed = await workers.seal(id, instance);
        // read them back while the transaction is on the wire, a slice per event-loop turn:
        // a backlog's checkpoint carries tens of MB of partials, and reading them all in
        // `apply` held every tick to the browsers up for a second or more
        reading = readSliced(sealed.partials, aggregator.createDelta());
        return sealed.partials;
      },
      async show() {
        if (!reading) throw new Error('staged batch shown before it was sealed');
        // the partials are read a slice per event-loop turn; then the delta joins at once
        await reading.done;
        if (spent) return true;
        if (dropped) return false;
        merge();
        return true;
      },
      get shown() {
        return spent;
      },
      drop() {
        if (!spent) dropped = true;
      },
      apply() {
        committed(lastAdd);
        if (!spent) merge();
        count();
        count = () => undefined;
      },
    };
  };

  const stage = (): StagedBatch => {
    if (opts.workers && opts.workers.size > 0) return stageOnWorkers(opts.workers);
    const delta = aggregator.createDelta();
    let bytes = 0;
    let records = 0;
    let spent = false;
    let dropped = false;
    /** When the batch last received records. */
    let lastAdd: number | null = null;
    let count = (): void => undefined;
    const merge = (): void => {
      spent = true;
      count = mergeLive(delta, bytes);
      shown(lastAdd);
    };
    return {
      add(flows) {
        if (spent) throw new Error('staged batch already applied');
        bytes += addAll(delta, flows);
        records += flows.length;
        if (opts.now) lastAdd = opts.now();
      },
      get records() {
        return records;
      },
      encode: (instance) => encodePartials(delta, instance),
      show() {
        if (!spent && !dropped) merge();
        return Promise.resolve(spent);
      },
      get shown() {
        return spent;
      },
      drop() {
        if (!spent) dropped = true;
      },
      apply() {
        committed(lastAdd);
        if (!spent) merge();
        count();
        count = () => undefined;
      },
    };
  };

  return {
    sink(flows) {
      const delta = aggregator.createDelta();
      mergeLive(delta, addAll(delta, flows))();
    },
    stage,
    takesRaw: () => (opts.workers?.size ?? 0) > 0 && (opts.workers?.takesRaw() ?? false),
    visibleUntil: () => visible,
    restore() {
      // read into a side delta and merge once: no second is sealed half-restored meanwhile
      const delta = aggregator.createDelta();
      return {
        add: (value) => mergePartial(value, delta),
        finish: () => aggregator.merge(delta),
      };
    },
    rebuild(from) {
      // read aside; the seconds from `from` on are swapped in one turn by finish()
      const delta = aggregator.createDelta();
      return {
        add: (value) => mergePartial(value, delta),
        finish: () => {
          aggregator.dropFrom(from);
          aggregator.merge(delta);
          // what was shown beyond the committed batches is gone until it is read again
          visible = durable;
          opts.onApplied?.();
        },
      };
    },
  };
}
