import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Flow } from '@surgewatch/shared';
import type { Logger } from 'pino';
import type { AggregatorOptions, Horizons } from './aggregate/index.js';
import type { NamedNetwork, RegionGroup } from './enrich/index.js';
import type { DecodeContext, InputFormat } from './ingest/decode/index.js';
import type { DecodeSummary, EncodedPartial, RawChunk } from './ingest/source.js';

/**
 * Worker threads for the Kafka pipeline. Decoding goes to whichever thread has time: a worker
 * with little queued (RAW_BELOW) is handed the message values undecoded and decodes them
 * itself, reporting what it found (counts, rejects for the DLQ) before the batch's seal;
 * otherwise the consumer decodes on the main thread and hands the flows over packed (eleven
 * numbers and three strings a flow, the numbers in one transferred Float64Array: a third of
 * what cloning the objects costs). Each worker enriches and aggregates into its delta of the
 * staged batch; the checkpoint seals the batch and gets every worker's partials back, which
 * it produces with the offsets and then merges into the live view — the exactly-once path
 * the partials already are, so a worker is one more producer of partials, like another
 * instance. Demo and replay stay on the main thread.
 */

/** Numbers per packed flow: end, start, sport, dport, proto, bytes, packets, sampling, tcpFlags, srcAs, dstAs. */
export const FLOW_NUMS = 11;
/** Flows posted and not yet aggregated beyond which the consumer pauses. */
export const MAX_BACKLOG = 200_000;
/**
 * A worker with fewer records than this queued is handed the next chunk undecoded: decoding
 * then happens on whichever thread has time — the consumer's, while the workers are behind —
 * so neither waits for the other. Undecoded is the cheaper hand-over in all: one copy of the
 * bytes, transferred, against decoding on the main thread, packing and cloning the flows and
 * collecting the parsed objects there. At 4,000 (two chunks of the batch handler) the main
 * thread decoded most records of a backlog; at 20,000 (~0.2 s of a worker's work, ~18 MB of
 * goflow2 JSON queued) the load benchmark's 2 M backlog rows read 101 k/s steady on average
 * instead of 96, with the main thread at 0.48–0.51 cores instead of 0.53–0.58.
 */
export const RAW_BELOW = 20_000;
/** Bytes a record is first reckoned to take, until decoded chunks tell (goflow2 JSON: ~900). */
const FIRST_BYTES_PER_RECORD = 500;
const RESPAWN_MS = 1_000;

/** What a worker needs to enrich and aggregate as the main thread would. */
export interface WorkerSetup {
  countryDb: string;
  asnDb: string;
  networks: readonly NamedNetwork[];
  regionGroups: readonly RegionGroup[];
  aggregator: AggregatorOptions;
  /** How Kafka messages are decoded; absent, workers take decoded flows only. */
  decode?: { format: InputFormat } & Omit<DecodeContext, 'now'>;
}

export type ToWorker =
  | { type: 'add'; batch: number; horizons: Horizons; nums: Float64Array; strs: string[] }
  | {
      type: 'raw';
      batch: number;
      horizons: Horizons;
      now: number;
      /** The records these values are reckoned to hold (echoed back in `added`). */
      units: number;
      /** The message values back to back; value i is bytes[ends[i - 1] ?? 0, ends[i]). */
      bytes: Uint8Array;
      ends: Uint32Array;
    }
  | { type: 'seal'; batch: number; seq: number; instance: string };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'added'; flows: number; decoded?: DecodeSummary }
  | {
      type: 'sealed';
      seq: number;
      partials?: { t: number; value: Uint8Array }[];
      late?: number;
      bytes?: number;
      /** AS names a MaxMind/DB-IP ASN database told the worker (the main thread asks for names). */
      asnNames?: [number, string][];
      error?: string;
    };

/** A batch sealed on every worker. */
export interface Sealed {
  partials: EncodedPartial[];
  /** Flows too late for the retention window (counted, not kept). */
  late: number;
  /** Bytes of the flows kept. */
  bytes: number;
}

/** A worker failed or died: the batch it held is lost, so its checkpoint must not commit. */
export class PipelineWorkerError extends Error {
  readonly code = 'pipeline_worker_failed';
  readonly retriable = true;
}

export interface PipelineWorkers {
  readonly size: number;
  /** Flows posted and not yet aggregated. */
  readonly backlog: number;
  /** True while the backlog is past MAX_BACKLOG: the consumer should pause. */
  busy(): boolean;
  /** Starts the threads; resolves once each has loaded its tables. */
  start(): Promise<void>;
  /** Hands the flows of staged batch `batch` to the next worker. */
  add(batch: number, flows: readonly Flow[], horizons: Horizons): void;
  /** Whether a worker has room for a chunk to decode itself (and was told how). */
  takesRaw(): boolean;
  /** Hands undecoded values of staged batch `batch` to the least busy worker. */
  addRaw(batch: number, chunk: RawChunk, horizons: Horizons): void;
  /** Seals `batch` on every worker: all its partials; rejects with PipelineWorkerError. */
  seal(batch: number, instance: string): Promise<Sealed>;
  stop(): Promise<void>;
  /** Ends thread `index` as a crash would (it is started again a second later): for tests. */
  kill(index: number): Promise<void>;
}

/** Default thread count: one core stays with the consumer and the sockets; at most 8. */
export function defaultWorkerCount(): number {
  return Math.max(0, Math.min(8, availableParallelism() - 1));
}

/**
 * A worker on the entry beside this module: the compiled JS, or — when this module runs as
 * TypeScript (the tests) — the .ts entry loaded through tsx, a dev dependency of this package.
 */
function newWorker(setup: WorkerSetup): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./pipelineWorker.js', import.meta.url), { workerData: setup });
  }
  // tsx's ESM API (require.resolve would give its CommonJS build)
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = new URL('./dist/esm/api/index.mjs', pathToFileURL(pkg)).href;
  const file = new URL('./pipelineWorker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`;
  return new Worker(boot, { eval: true, workerData: setup, execArgv: ['--conditions=source'] });
}

interface Slot {
  worker: Worker | null;
  /** Flows posted to it and not yet acknowledged. */
  pending: number;
  /** The newest batch it was handed flows of. */
  lastBatch: number;
  /** Raw chunks posted to it (and their bytes), oldest first, waiting for their summaries. */
  decoding: { raw: RawChunk; bytes: number }[];
  seals: Map<
    number,
    { resolve: (m: FromWorker & { type: 'sealed' }) => void; reject: (e: Error) => void }
  >;
}

export function createPipelineWorkers(
  count: number,
  setup: WorkerSetup,
  deps: { logger: Logger; onAsnNames?: (names: [number, string][]) => void },
): PipelineWorkers {
  const log = deps.logger;
  const slots: Slot[] = Array.from({ length: count }, () => ({
    worker: null,
    pending: 0,
    lastBatch: -1,
    decoding: [],
    seals: new Map(),
  }));
  let next = 0;
  let seq = 0;
  /** Bytes per record in the raw chunks decoded so far: queued raw bytes count as records by it. */
  let bytesPerRecord = FIRST_BYTES_PER_RECORD;
  let stopped = false;
  /** Batches up to this one lost flows in a worker that died: their seals fail. */
  let lostUpTo = -1;

  const spawn = (slot: Slot): Promise<void> =>
    new Promise((resolve, reject) => {
      const w = newWorker(setup);
      slot.worker = w;
      let ready = false;
      w.on('message', (m: FromWorker) => {
        if (m.type === 'added') {
          slot.pending -= m.flows;
          const chunk = m.decoded ? slot.decoding.shift() : undefined;
          if (chunk && m.decoded) {
            const records = m.decoded.flows + m.decoded.rejects.length;
            if (records > 0) {
              bytesPerRecord = 0.8 * bytesPerRecord + 0.2 * Math.max(1, chunk.bytes / records);
            }
            chunk.raw.onDecoded(m.decoded);
          }
        } else if (m.type === 'sealed') {
          const waiter = slot.seals.get(m.seq);
          slot.seals.delete(m.seq);
          waiter?.resolve(m);
        } else if (m.type === 'ready') {
          ready = true;
          resolve();
        }
      });
      const died = (err: Error): void => {
        if (slot.worker !== w) return;
        slot.worker = null;
        lostUpTo = Math.max(lostUpTo, slot.lastBatch);
        slot.pending = 0;
        // their records are read again (the batch fails), and counted then
        slot.decoding = [];
        const e = new PipelineWorkerError(`pipeline worker failed: ${err.message}`, { cause: err });
        for (const waiter of slot.seals.values()) waiter.reject(e);
        slot.seals.clear();
        if (!ready) return reject(e);
        if (stopped) return;
        log.error({ err }, 'pipeline worker died; its staged records are read again');
        setTimeout(() => {
          if (!stopped)
            spawn(slot).catch((e2) => log.error({ err: e2 }, 'pipeline worker respawn failed'));
        }, RESPAWN_MS).unref();
      };
      w.on('error', died);
      w.on('exit', (code) => died(new Error(`exited with code ${code}`)));
    });

  return {
    size: count,
    get backlog() {
      let n = 0;
      for (const s of slots) n += s.pending;
      return n;
    },
    busy() {
      return this.backlog > MAX_BACKLOG;
    },
    async start() {
      await Promise.all(slots.map(spawn));
    },
    add(batch, flows, horizons) {
      const n = flows.length;
      if (n === 0) return;
      const slot = slots[next] as Slot;
      next = (next + 1) % slots.length;
      slot.lastBatch = batch;
      if (!slot.worker) {
        // between a death and its respawn: this batch is lost, its seal fails
        lostUpTo = Math.max(lostUpTo, batch);
        return;
      }
      const nums = new Float64Array(n * FLOW_NUMS);
      const strs = new Array<string>(n * 3);
      for (let i = 0; i < n; i++) {
        const f = flows[i] as Flow;
        const o = i * FLOW_NUMS;
        nums[o] = f.end;
        nums[o + 1] = f.start;
        nums[o + 2] = f.sport;
        nums[o + 3] = f.dport;
        nums[o + 4] = f.proto;
        nums[o + 5] = f.bytes;
        nums[o + 6] = f.packets;
        nums[o + 7] = f.sampling;
        nums[o + 8] = f.tcpFlags;
        nums[o + 9] = f.srcAs;
        nums[o + 10] = f.dstAs;
        strs[i * 3] = f.src;
        strs[i * 3 + 1] = f.dst;
        strs[i * 3 + 2] = f.exporter;
      }
      slot.pending += n;
      const m: ToWorker = { type: 'add', batch, horizons, nums, strs };
      slot.worker.postMessage(m, [nums.buffer]);
    },
    takesRaw() {
      if (!setup.decode) return false;
      for (const s of slots) if (s.worker && s.pending < RAW_BELOW) return true;
      return false;
    },
    addRaw(batch, chunk, horizons) {
      const n = chunk.values.length;
      if (n === 0) return;
      let slot: Slot | undefined;
      for (const s of slots) if (s.worker && (!slot || s.pending < slot.pending)) slot = s;
      if (!slot?.worker) {
        lostUpTo = Math.max(lostUpTo, batch);
        return;
      }
      slot.lastBatch = batch;
      let total = 0;
      for (const v of chunk.values) total += v.length;
      const bytes = new Uint8Array(total);
      const ends = new Uint32Array(n);
      let at = 0;
      for (let i = 0; i < n; i++) {
        const v = chunk.values[i] as Uint8Array;
        bytes.set(v, at);
        at += v.length;
        ends[i] = at;
      }
      // an NDJSON message holds many records: what is queued is reckoned in records
      const units = Math.max(n, Math.round(total / bytesPerRecord));
      slot.pending += units;
      slot.decoding.push({ raw: chunk, bytes: total });
      const m: ToWorker = { type: 'raw', batch, horizons, now: chunk.now, units, bytes, ends };
      slot.worker.postMessage(m, [bytes.buffer, ends.buffer]);
    },
    async seal(batch, instance) {
      if (batch <= lostUpTo) {
        throw new PipelineWorkerError(`staged batch ${batch} was lost with a pipeline worker`);
      }
      const answers = await Promise.all(
        slots.map((slot) => {
          const w = slot.worker;
          if (!w) {
            return Promise.reject(new PipelineWorkerError('pipeline worker not running'));
          }
          const id = ++seq;
          return new Promise<FromWorker & { type: 'sealed' }>((resolve, reject) => {
            slot.seals.set(id, { resolve, reject });
            const m: ToWorker = { type: 'seal', batch, seq: id, instance };
            w.postMessage(m);
          });
        }),
      );
      const out: Sealed = { partials: [], late: 0, bytes: 0 };
      for (const a of answers) {
        if (a.error !== undefined) throw new PipelineWorkerError(`pipeline worker: ${a.error}`);
        for (const p of a.partials ?? []) {
          out.partials.push({
            t: p.t,
            value: Buffer.from(p.value.buffer, p.value.byteOffset, p.value.byteLength),
          });
        }
        out.late += a.late ?? 0;
        out.bytes += a.bytes ?? 0;
        if (a.asnNames?.length) deps.onAsnNames?.(a.asnNames);
      }
      if (batch <= lostUpTo) {
        // a worker died after answering: the others' partials alone would lose its flows
        throw new PipelineWorkerError(`staged batch ${batch} was lost with a pipeline worker`);
      }
      out.partials.sort((a, b) => a.t - b.t);
      return out;
    },
    async kill(index) {
      await slots[index]?.worker?.terminate();
    },
    async stop() {
      stopped = true;
      await Promise.all(
        slots.map(async (slot) => {
          const w = slot.worker;
          slot.worker = null;
          await w?.terminate();
        }),
      );
    },
  };
}
