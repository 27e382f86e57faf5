import type { Flow } from '@surgewatch/shared';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createBatchHandler, YIELD_AFTER_MS, type BatchHandlerDeps } from './kafkaBatch.js';
import { kafkaMetrics } from './kafkaMetrics.js';
import { createRateMeter } from './kafkaRate.js';
import { createRecordDecoder, type RecordDecoder } from './kafkaRecords.js';
import type { RawChunk } from './source.js';

const msg = (offset: number): KafkaMessage =>
  ({ offset: String(offset), key: null, value: Buffer.from(String(offset)) }) as KafkaMessage;
const flowOf = (offset: number) => ({ bytes: offset }) as unknown as Flow;

/** A decoder that turns each message into one flow whose bytes are its offset. */
const decoder: RecordDecoder = {
  totals: { records: 0, decodeErrors: 0, lastRecordTs: null },
  decode: (_p, messages, skipBelow) =>
    messages.filter((m) => Number(m.offset) >= skipBelow).map((m) => flowOf(Number(m.offset))),
  prepare: (messages, skipBelow) => {
    const kept = messages.filter((m) => Number(m.offset) >= skipBelow);
    return { kept, values: kept.map((m) => m.value as Buffer) };
  },
  account: () => undefined,
};

/** A checkpoint that records what it is asked to do; `committed` plays the broker's offsets. */
function fakeCheckpoint(events: string[], committed = new Map<number, number>(), raw = false) {
  const staged = new Map<number, number>();
  return {
    broken: false,
    position: (p: number) => Math.max(staged.get(p) ?? -1, committed.get(p) ?? -1),
    add(p: number, flows: readonly Flow[] | RawChunk, next: number) {
      if (!Array.isArray(flows)) {
        const chunk = flows as RawChunk;
        // a worker that finds one flow per value, and a reject in the value "2"
        const values = chunk.values.map((v) => Buffer.from(v).toString());
        events.push(`stage raw ${values.join(',')} next ${next}`);
        const bad = values.indexOf('2');
        chunk.onDecoded({
          flows: values.length - (bad >= 0 ? 1 : 0),
          unknownSampling: 0,
          newest: null,
          rejects: bad >= 0 ? [[bad, [{ reason: 'bad_counter', detail: 'two' }]]] : [],
        });
      } else {
        const decoded = flows as readonly Flow[];
        events.push(`stage ${decoded.map((f) => f.bytes).join(',')} next ${next}`);
      }
      staged.set(p, next);
    },
    takesRaw: () => raw,
    async commitIfDue() {
      events.push('commit if due');
      return true;
    },
    async flush() {
      events.push('flush');
      return true;
    },
    async settle() {},
  };
}

function setup(over: Partial<BatchHandlerDeps> = {}, committed?: Map<number, number>) {
  const events: string[] = [];
  const consumer = {
    pause: vi.fn(() => void events.push('pause')),
    resume: vi.fn(() => void events.push('resume')),
  };
  const checkpoint = fakeCheckpoint(events, committed);
  const deps: BatchHandlerDeps = {
    topic: 'flows',
    decoder,
    checkpoint,
    now: () => 1_000,
    logger: pino({ level: 'silent' }),
    metrics: kafkaMetrics(new Registry()),
    rate: createRateMeter(5),
    isCurrent: () => true,
    timers: new Set(),
    ...over,
  };
  const handler = createBatchHandler(deps);
  const run = (offsets: number[], heartbeat = async () => undefined) =>
    handler.eachBatch(consumer as unknown as Consumer)({
      batch: { partition: 0, messages: offsets.map(msg) },
      resolveOffset: (o: string) => void events.push(`resolve ${o}`),
      heartbeat,
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  return { events, consumer, checkpoint, handler, run };
}

describe('createBatchHandler', () => {
  it('gives the event loop a turn between chunks once it has run YIELD_AFTER_MS', async () => {
    // a decoder as slow as a real one on a backlog: each chunk of 2,000 takes longer than the budget
    const slow: RecordDecoder = {
      ...decoder,
      decode: (p, messages, skipBelow, now) => {
        const until = performance.now() + YIELD_AFTER_MS + 2;
        while (performance.now() < until);
        return decoder.decode(p, messages, skipBelow, now);
      },
    };
    const { events, run } = setup({ decoder: slow });
    // a tick due now: it must run while the batch is still being read, not after it
    setTimeout(() => events.push('tick'), 0);
    await run(Array.from({ length: 5_000 }, (_, i) => i));
    const staged = events.filter((e) => e.startsWith('stage')).map((e) => e.split(' next ')[1]);
    expect(staged).toEqual(['2000', '4000', '5000']);
    const tick = events.indexOf('tick');
    expect(tick).toBeGreaterThan(0);
    expect(tick).toBeLessThan(events.indexOf('resolve 4999'));
  });

  it('does not yield while under the budget: a small batch is read in one go', async () => {
    const { events, run } = setup();
    setTimeout(() => events.push('tick'), 0);
    await run([5, 6, 7]);
    expect(events).toEqual(['stage 5,6,7 next 8', 'resolve 7', 'commit if due']);
  });

  it('stages the flows with their next offset, resolves, then checkpoints if due', async () => {
    const { events, run } = setup();
    await run([5, 6, 7]);
    expect(events).toEqual(['stage 5,6,7 next 8', 'resolve 7', 'commit if due']);
  });

  it('hands a worker with room the undecoded values, and counts what it found', async () => {
    const events: string[] = [];
    const registry = new Registry();
    const metrics = kafkaMetrics(registry);
    const offered: string[] = [];
    const real = createRecordDecoder(
      {
        format: 'surgewatch',
        defaultSampling: 1,
        maxMessageBytes: 1e6,
        maxFutureMs: 60_000,
        maxPastMs: 86_400_000,
      },
      {
        metrics,
        dlq: { offer: (s) => void offered.push(`${s.offset}:${s.rejects[0]?.reason}`) },
        logger: pino({ level: 'silent' }),
      },
    );
    const rate = createRateMeter(5);
    const { run } = setup({
      decoder: real,
      metrics,
      rate,
      checkpoint: fakeCheckpoint(events, new Map([[0, 1]]), true),
    });
    await run([0, 1, 2, 3]);
    // offset 0 was committed: not handed over
    expect(events).toEqual(['stage raw 1,2,3 next 4', 'commit if due']);
    expect(offered).toEqual(['2:bad_counter']);
    expect(real.totals).toMatchObject({ records: 2, decodeErrors: 1 });
    const text = await registry.metrics();
    expect(text).toMatch(/surgewatch_kafka_messages_total 3\b/);
    expect(text).toMatch(/surgewatch_kafka_records_total 2\b/);
    expect(text).toMatch(/surgewatch_decode_errors_total\{reason="bad_counter"\} 1\b/);
  });

  it('skips offsets already committed or staged (a replay after a consumer restart)', async () => {
    const { events, run } = setup({}, new Map([[0, 7]]));
    await run([5, 6, 7, 8]);
    expect(events).toEqual(['stage 7,8 next 9', 'resolve 8', 'commit if due']);
    events.length = 0;
    await run([8, 9]);
    expect(events).toEqual(['stage 9 next 10', 'resolve 9', 'commit if due']);
  });

  it('a refused heartbeat checkpoints what was staged and ends the batch', async () => {
    const { events, run } = setup();
    await run([1, 2], async () => {
      throw new Error('rebalancing');
    });
    expect(events).toEqual(['stage 1,2 next 3', 'resolve 2', 'flush', 'commit if due']);
  });

  it('does nothing once the checkpoint is broken or the consumer replaced', async () => {
    const { events, run, checkpoint } = setup();
    checkpoint.broken = true;
    await run([1]);
    expect(events).toEqual([]);
    const other = setup({ isCurrent: () => false });
    await other.run([1]);
    expect(other.events).toEqual([]);
  });

  it('never throws: a failing pipeline is logged, the offsets still move on', async () => {
    const events: string[] = [];
    const checkpoint = fakeCheckpoint(events);
    let first = true;
    const add = checkpoint.add.bind(checkpoint);
    checkpoint.add = (p, flows, next) => {
      if (first && Array.isArray(flows) && flows.length) {
        first = false;
        throw new Error('pipeline bug');
      }
      add(p, flows, next);
    };
    const { run } = setup({ checkpoint });
    await expect(run([1, 2])).resolves.toBeUndefined();
    expect(events).toEqual(['stage  next 3', 'commit if due']);
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
