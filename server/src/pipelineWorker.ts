/**
 * A pipeline worker thread (see pipelineWorkers.ts): enriches and aggregates the flows the
 * Kafka consumer decoded on the main thread, into one delta per staged batch, and encodes it
 * as partials when the checkpoint seals the batch. Nothing here touches Kafka or the live view.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Flow } from '@surgewatch/shared';
import { Aggregator, encodePartials, type Horizons } from './aggregate/index.js';
import {
  createEnricher,
  createGeoLookup,
  emptyKeys,
  openAsnTable,
  openCountryTable,
} from './enrich/index.js';
import { decodeMessage, type DecodeContext, type DecodeResult } from './ingest/decode/index.js';
import type { DecodeSummary } from './ingest/source.js';
import { FLOW_NUMS, type FromWorker, type ToWorker, type WorkerSetup } from './pipelineWorkers.js';

const port = parentPort;
if (!port) throw new Error('pipelineWorker.js runs as a worker thread');
const setup = workerData as WorkerSetup;

const [countryTable, asn] = await Promise.all([
  openCountryTable(setup.countryDb),
  openAsnTable(setup.asnDb),
]);
const enricher = createEnricher({
  geo: createGeoLookup(countryTable),
  asn,
  networks: setup.networks,
  regionGroups: setup.regionGroups,
});
const template = new Aggregator(setup.aggregator);
const keys = emptyKeys();
const decodeCtx: DecodeContext | null = setup.decode
  ? {
      now: 0,
      defaultSampling: setup.decode.defaultSampling,
      maxMessageBytes: setup.decode.maxMessageBytes,
      maxFutureMs: setup.decode.maxFutureMs,
      maxPastMs: setup.decode.maxPastMs,
    }
  : null;

/** The delta of the batch being staged (one at a time: a new batch id abandons the last). */
let batch = -1;
let delta: Aggregator | null = null;
let bytes = 0;
/** A batch whose staging threw: its seal fails, so the checkpoint does not commit it. */
let poisoned: { batch: number; message: string } | null = null;

const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

/** The delta of batch `m.batch`: the batch before was sealed (its seal came first) or dropped. */
function deltaFor(m: { batch: number; horizons: Horizons }): Aggregator {
  if (m.batch !== batch || !delta) {
    batch = m.batch;
    delta = template.createDelta(m.horizons);
    bytes = 0;
  }
  return delta;
}

/** Decodes the chunk's values as the consumer would, enriching and aggregating each flow. */
function decodeRaw(m: ToWorker & { type: 'raw' }): DecodeSummary {
  if (!decodeCtx || !setup.decode) throw new Error('this worker was not told how to decode');
  const d = deltaFor(m);
  decodeCtx.now = m.now;
  const summary: DecodeSummary = { flows: 0, unknownSampling: 0, newest: null, rejects: [] };
  let newest = -Infinity;
  let from = 0;
  for (let i = 0; i < m.ends.length; i++) {
    const to = m.ends[i] as number;
    const value = m.bytes.subarray(from, to);
    from = to;
    let r: DecodeResult;
    try {
      r = decodeMessage(value, setup.decode.format, decodeCtx);
    } catch (err) {
      // as on the consumer: a decoder bug rejects the message, never the partition
      const detail = `decoder error: ${(err as Error).message}`;
      r = { flows: [], rejects: [{ reason: 'binary_garbage', detail }], unknownSampling: 0 };
    }
    // an aggregation error is not the record's fault: it poisons the batch (the caller)
    for (const flow of r.flows) {
      enricher.keys(flow, keys);
      if (d.add(flow, keys)) bytes += flow.bytes;
      if (flow.end > newest) newest = flow.end;
    }
    summary.flows += r.flows.length;
    summary.unknownSampling += r.unknownSampling;
    if (r.rejects.length > 0) summary.rejects.push([i, r.rejects]);
  }
  if (newest > -Infinity) summary.newest = newest;
  return summary;
}

port.on('message', (m: ToWorker) => {
  try {
    if (m.type === 'raw') {
      send({ type: 'added', flows: m.units, decoded: decodeRaw(m) });
      return;
    }
    if (m.type === 'add') {
      const delta = deltaFor(m);
      const nums = m.nums;
      const strs = m.strs;
      const n = strs.length / 3;
      for (let i = 0; i < n; i++) {
        const o = i * FLOW_NUMS;
        const s = i * 3;
        const flow: Flow = {
          end: nums[o] as number,
          start: nums[o + 1] as number,
          sport: nums[o + 2] as number,
          dport: nums[o + 3] as number,
          proto: nums[o + 4] as number,
          bytes: nums[o + 5] as number,
          packets: nums[o + 6] as number,
          sampling: nums[o + 7] as number,
          tcpFlags: nums[o + 8] as number,
          srcAs: nums[o + 9] as number,
          dstAs: nums[o + 10] as number,
          src: strs[s] as string,
          dst: strs[s + 1] as string,
          exporter: strs[s + 2] as string,
        };
        enricher.keys(flow, keys);
        if (delta.add(flow, keys)) bytes += flow.bytes;
      }
      send({ type: 'added', flows: n });
      return;
    }
    if (m.type === 'seal') {
      if (poisoned?.batch === m.batch) {
        send({ type: 'sealed', seq: m.seq, error: poisoned.message });
        poisoned = null;
        delta = null;
        batch = -1;
        return;
      }
      const mine = m.batch === batch && delta ? delta : null;
      const partials = mine ? encodePartials(mine, m.instance) : [];
      const stats = mine?.getStats();
      const out = partials.map((p) => ({ t: p.t, value: new Uint8Array(p.value) }));
      send(
        {
          type: 'sealed',
          seq: m.seq,
          partials: out,
          late: stats?.late ?? 0,
          bytes: mine ? bytes : 0,
          asnNames: asn.drainNames?.() ?? [],
        },
        out.map((p) => p.value.buffer as ArrayBuffer),
      );
      if (mine) {
        delta = null;
        batch = -1;
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (m.type === 'add' || m.type === 'raw') {
      // its delta may hold part of the flows: never commit it
      poisoned = { batch: m.batch, message };
      const empty: DecodeSummary = { flows: 0, unknownSampling: 0, newest: null, rejects: [] };
      if (m.type === 'raw') send({ type: 'added', flows: m.units, decoded: empty });
      else send({ type: 'added', flows: m.strs.length / 3 });
    } else send({ type: 'sealed', seq: m.seq, error: message });
  }
});
send({ type: 'ready' });
