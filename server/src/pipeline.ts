import type { Flow } from '@surgewatch/shared';
import { encodePartials, mergePartial, type Aggregator } from './aggregate/index.js';
import type { Enricher } from './enrich/index.js';
import { emptyKeys } from './enrich/index.js';
import type { CheckpointSink, FlowSink, StagedBatch } from './ingest/source.js';
import type { pipelineMetrics } from './metrics.js';
import type { PipelineWorkers, Sealed } from './pipelineWorkers.js';

/** The pipeline as sources see it: a plain sink (demo, replay) and the checkpointing API (Kafka). */
export interface Pipeline extends CheckpointSink {
  sink: FlowSink;
  /**
   * Kafka: the newest moment (ms epoch, the pipeline's clock) at which a batch that is now in
   * the live view received records — everything the source had read by then is visible.
   * Null before the first checkpoint applies. Detection waits for it to pass a second.
   */
  visibleUntil(): number | null;
}

/**
 * Enrich → aggregate. Every batch is aggregated into a delta first, then merged into the live
 * aggregate: the same delta a Kafka source encodes as partials, so the live view and the
 * durable state are built one way. `sink` merges at once (synchronous: when it returns the
 * flows are aggregated). `stage()` keeps the delta aside until the source's checkpoint
 * commits; `restore()` folds partials read back from Kafka in.
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

  /** Aggregates flows into `delta`; returns the bytes of the flows it kept. */
  const addAll = (delta: Aggregator, flows: readonly Flow[]): number => {
    let bytes = 0;
    for (const flow of flows) {
      enricher.keys(flow, keys);
      if (delta.add(flow, keys)) bytes += flow.bytes;
    }
    return bytes;
  };

  const mergeLive = (delta: Aggregator, bytes: number): void => {
    const before = aggregator.getStats();
    aggregator.merge(delta);
    const after = aggregator.getStats();
    metrics.flows.inc(after.flows - before.flows);
    if (after.late > before.late) metrics.late.inc(after.late - before.late);
    if (bytes) metrics.bytes.inc(bytes);
  };

  let batches = 0;
  /**
   * A batch staged on the worker threads: flows go out packed as they come; `encode` seals
   * the batch on every worker and keeps their partials, which `apply` merges into the live
   * view as a peer's partials are merged (the same exact path).
   */
  const stageOnWorkers = (workers: PipelineWorkers): StagedBatch => {
    const id = ++batches;
    let records = 0;
    let sealed: Sealed | null = null;
    let spent = false;
    let lastAdd: number | null = null;
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
        return sealed.partials;
      },
      apply() {
        if (spent) return;
        if (!sealed) throw new Error('staged batch applied before it was sealed');
        spent = true;
        const delta = aggregator.createDelta();
        for (const p of sealed.partials) mergePartial(p.value, delta);
        delta.countLate(sealed.late);
        mergeLive(delta, sealed.bytes);
        if (lastAdd !== null) visible = Math.max(visible ?? lastAdd, lastAdd);
        opts.onApplied?.();
      },
    };
  };

  const stage = (): StagedBatch => {
    if (opts.workers && opts.workers.size > 0) return stageOnWorkers(opts.workers);
    const delta = aggregator.createDelta();
    let bytes = 0;
    let records = 0;
    let spent = false;
    /** When the batch last received records. */
    let lastAdd: number | null = null;
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
      apply() {
        if (spent) return;
        spent = true;
        mergeLive(delta, bytes);
        if (lastAdd !== null) visible = Math.max(visible ?? lastAdd, lastAdd);
        opts.onApplied?.();
      },
    };
  };

  return {
    sink(flows) {
      const delta = aggregator.createDelta();
      mergeLive(delta, addAll(delta, flows));
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
  };
}
