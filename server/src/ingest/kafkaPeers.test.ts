import type { EachBatchPayload, Kafka } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { kafkaMetrics } from './kafkaMetrics.js';
import { createPeerReader } from './kafkaPeers.js';

/** A kafkajs consumer double: records seeks, hands out the eachBatch it was given. */
function fakeKafka() {
  const seeks: string[] = [];
  const handlers = new Map<string, ((e: unknown) => void)[]>();
  let eachBatch: ((p: EachBatchPayload) => Promise<void>) | undefined;
  const consumer = {
    events: { GROUP_JOIN: 'join', END_BATCH_PROCESS: 'end', CRASH: 'crash' },
    on: (ev: string, fn: (e: unknown) => void) =>
      void handlers.set(ev, [...(handlers.get(ev) ?? []), fn]),
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async (o: { eachBatch: typeof eachBatch }) => void (eachBatch = o.eachBatch),
    seek: (s: { partition: number; offset: string }) =>
      void seeks.push(`${s.partition}@${s.offset}`),
    disconnect: async () => undefined,
  };
  const kafka = { consumer: () => consumer } as unknown as Kafka;
  const emit = (ev: string, e: unknown) => handlers.get(ev)?.forEach((fn) => fn(e));
  const batch = (partition: number, messages: [number, string, string][]) =>
    (eachBatch as (p: EachBatchPayload) => Promise<void>)({
      batch: {
        partition,
        messages: messages.map(([offset, key, value]) => ({
          offset: String(offset),
          key: Buffer.from(key),
          value: Buffer.from(value),
        })),
        lastOffset: () => String(messages.at(-1)?.[0] ?? -1),
        offsetLag: () => '0',
      },
    } as unknown as EachBatchPayload);
  return { kafka, seeks, emit, batch };
}

function setup() {
  const k = fakeKafka();
  const merged: string[] = [];
  const finished: number[] = [];
  const registry = new Registry();
  const metrics = kafkaMetrics(registry);
  const reader = createPeerReader({
    kafka: k.kafka,
    cfg: { groupId: 'g', instanceId: 'sw-a', partialsTopic: 'surgewatch.partials' },
    merge: () => ({
      add: (v) => {
        const text = v.toString();
        if (text === 'bad') throw new Error('partial_invalid');
        merged.push(text);
        return { instance: '', t: 0, flows: 10 };
      },
      finish: () => void finished.push(merged.length),
    }),
    logger: pino({ level: 'silent' }),
    metrics,
  });
  return { ...k, reader, merged, finished, metrics };
}

describe('createPeerReader', () => {
  it("merges other instances' partials once per batch and skips its own", async () => {
    const s = setup();
    await s.reader.start(new Map([[0, 5]]));
    await s.batch(0, [
      [5, 'sw-a:1000', 'mine'],
      [6, 'sw-b:1000', 'b1'],
      [7, 'sw-c:1000', 'c1'],
      [8, 'sw-b:1000', 'bad'],
    ]);
    expect(s.merged).toEqual(['b1', 'c1']);
    expect(s.finished).toEqual([2]);
    expect((await s.metrics.peerPartials.get()).values).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { result: 'merged' }, value: 2 }),
        expect.objectContaining({ labels: { result: 'invalid' }, value: 1 }),
      ]),
    );
    expect((await s.metrics.peerFlows.get()).values[0]?.value).toBe(20);
    // an instance whose id merely starts like ours is another instance
    await s.batch(0, [[9, 'sw-ab:1000', 'ab1']]);
    expect(s.merged).toEqual(['b1', 'c1', 'ab1']);
  });

  it('starts where the restore stopped and comes back there after every rejoin', async () => {
    const s = setup();
    await s.reader.start(
      new Map([
        [0, 5],
        [1, 9],
      ]),
    );
    s.emit('join', {});
    expect(s.seeks).toEqual(['0@5', '1@9']);
    await s.batch(0, [
      [4, 'sw-b:1', 'restored already'],
      [5, 'sw-b:2', 'b2'],
    ]);
    // a batch of transaction markers only advances partition 1
    s.emit('end', { payload: { batchSize: 0, partition: 1, lastOffset: '11' } });
    s.seeks.length = 0;
    s.emit('join', {});
    expect(s.seeks).toEqual(['0@6', '1@12']);
    // a re-delivery after the seek merges nothing twice
    await s.batch(0, [[5, 'sw-b:2', 'b2']]);
    expect(s.merged).toEqual(['b2']);
  });
});
