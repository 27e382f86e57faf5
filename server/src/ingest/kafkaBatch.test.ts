import type { Flow } from '@surgewatch/shared';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createBatchHandler, type BatchHandlerDeps } from './kafkaBatch.js';
import { kafkaMetrics } from './kafkaMetrics.js';
import { createRateMeter } from './kafkaRate.js';
import type { RecordDecoder } from './kafkaRecords.js';

const msg = (offset: number): KafkaMessage =>
  ({ offset: String(offset), key: null, value: Buffer.from(String(offset)) }) as KafkaMessage;
const flowOf = (offset: number) => ({ bytes: offset }) as unknown as Flow;

/** A decoder that turns each message into one flow whose bytes are its offset. */
const decoder: RecordDecoder = {
  totals: { records: 0, decodeErrors: 0, lastRecordTs: null },
  decode: (_p, messages, skipBelow) =>
    messages.filter((m) => Number(m.offset) >= skipBelow).map((m) => flowOf(Number(m.offset))),
};

function setup(over: Partial<BatchHandlerDeps> = {}) {
  const events: string[] = [];
  const consumer = {
    commitOffsets: vi.fn(
      async (o: { offset: string }[]) => void events.push(`commit ${o[0]?.offset}`),
    ),
    pause: vi.fn(() => void events.push('pause')),
    resume: vi.fn(() => void events.push('resume')),
  };
  const deps: BatchHandlerDeps = {
    topic: 'flows',
    decoder,
    sink: (flows) => void events.push(`sink ${flows.map((f) => f.bytes).join(',')}`),
    now: () => 1_000,
    logger: pino({ level: 'silent' }),
    metrics: kafkaMetrics(new Registry()),
    rate: createRateMeter(5),
    processed: new Map(),
    isCurrent: () => true,
    timers: new Set(),
    ...over,
  };
  const handler = createBatchHandler(deps);
  const run = (offsets: number[]) =>
    handler.eachBatch(consumer as unknown as Consumer)({
      batch: { partition: 0, messages: offsets.map(msg) },
      resolveOffset: (o: string) => void events.push(`resolve ${o}`),
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  return { events, consumer, deps, handler, run };
}

describe('createBatchHandler', () => {
  it('aggregates, then resolves, then commits the next offset', async () => {
    const { events, run, deps } = setup();
    await run([5, 6, 7]);
    expect(events).toEqual(['sink 5,6,7', 'resolve 7', 'commit 8']);
    expect(deps.processed.get(0)).toBe(8);
  });

  it('skips offsets this process already aggregated (a replay after a consumer restart)', async () => {
    const { events, run } = setup({ processed: new Map([[0, 7]]) });
    await run([5, 6, 7, 8]);
    expect(events).toEqual(['sink 7,8', 'resolve 8', 'commit 9']);
  });

  it('never throws: a failing sink or commit is logged and the batch moves on', async () => {
    const { run, consumer } = setup({
      sink: () => {
        throw new Error('pipeline bug');
      },
    });
    consumer.commitOffsets.mockRejectedValueOnce(new Error('coordinator moved'));
    await expect(run([1, 2])).resolves.toBeUndefined();
  });

  it('pauses the topic while aggregation is behind and resumes when it catches up', async () => {
    vi.useFakeTimers();
    try {
      let behind = true;
      const { events, run, handler } = setup({ isBehind: () => behind });
      await run([1]);
      expect(events.slice(-1)).toEqual(['pause']);
      expect(handler.paused).toBe(true);
      await vi.advanceTimersByTimeAsync(200);
      expect(events.filter((e) => e === 'resume')).toHaveLength(0);
      behind = false;
      await vi.advanceTimersByTimeAsync(100);
      expect(events.slice(-1)).toEqual(['resume']);
      expect(handler.paused).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
