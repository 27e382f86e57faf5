import type { Flow } from '@surgewatch/shared';
import type { FlowGenerator } from './generators.js';

/** The totals flowgen reports. */
export interface FlowgenStats {
  records: number;
  /** Bytes of message values sent. */
  bytes: number;
  messages: number;
  elapsedMs: number;
}

export interface RunDeps {
  send: (values: readonly Buffer[]) => Promise<void>;
  encode: (flows: readonly Flow[]) => Buffer;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Called about once a second with the totals so far. */
  onProgress?: (stats: FlowgenStats) => void;
  /** Checked between sends: true ends the run early (Ctrl-C). */
  stopRequested?: () => boolean;
}

export interface RunLimits {
  durationMs: number | null;
  count: number | null;
  /** Records per message. */
  batch: number;
}

/** Messages per produce request, and bytes: kafkajs puts a partition's share in one record batch. */
const MAX_SEND_MESSAGES = 2_000;
const MAX_SEND_BYTES = 512 * 1024;
const MAX_IN_FLIGHT = 4;

/**
 * Pulls flows from the generator, encodes `batch` records per message and sends them, with
 * a few produce requests in flight, until the duration or count is reached. Rejects on the
 * first failed send.
 */
export async function runFlowgen(
  gen: FlowGenerator,
  limits: RunLimits,
  deps: RunDeps,
): Promise<FlowgenStats> {
  const started = deps.now();
  const stats: FlowgenStats = { records: 0, bytes: 0, messages: 0, elapsedMs: 0 };
  const inFlight: Promise<void>[] = [];
  let failure: unknown;
  let lastProgress = started;

  const dispatch = async (values: Buffer[]): Promise<void> => {
    const p = deps.send(values).catch((err: unknown) => {
      failure ??= err;
    });
    inFlight.push(p);
    if (inFlight.length >= MAX_IN_FLIGHT) await inFlight.shift();
  };

  for (;;) {
    const now = deps.now();
    if (failure !== undefined || deps.stopRequested?.()) break;
    if (limits.durationMs !== null && now - started >= limits.durationMs) break;
    if (limits.count !== null && stats.records >= limits.count) break;
    if (now - lastProgress >= 1000) {
      lastProgress = now;
      deps.onProgress?.({ ...stats, elapsedMs: now - started });
    }
    let flows = gen.due(now);
    if (limits.count !== null && flows.length > limits.count - stats.records)
      flows = flows.slice(0, limits.count - stats.records);
    if (flows.length === 0) {
      await deps.sleep(10);
      continue;
    }
    let values: Buffer[] = [];
    let size = 0;
    for (let i = 0; i < flows.length; i += limits.batch) {
      const value = deps.encode(flows.slice(i, i + limits.batch));
      values.push(value);
      size += value.length;
      stats.messages++;
      stats.bytes += value.length;
      if (values.length >= MAX_SEND_MESSAGES || size >= MAX_SEND_BYTES) {
        await dispatch(values);
        values = [];
        size = 0;
      }
    }
    if (values.length > 0) await dispatch(values);
    stats.records += flows.length;
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  stats.elapsedMs = deps.now() - started;
  return stats;
}
