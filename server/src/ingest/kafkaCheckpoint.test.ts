import type { Flow } from '@surgewatch/shared';
import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createCheckpointer } from './kafkaCheckpoint.js';
import { KafkaSourceError } from './kafkaErrors.js';
import { kafkaMetrics } from './kafkaMetrics.js';
import type { CheckpointSink, StagedBatch } from './source.js';

const cfg = {
  topic: 'flows',
  groupId: 'g',
  instanceId: 'sw-a',
  partialsTopic: 'surgewatch.partials',
  commitIntervalMs: 1_000,
};
const flows = (...bytes: number[]) => bytes.map((b) => ({ bytes: b, end: b }) as unknown as Flow);

/** A pipeline whose staged batches encode one partial per flow and log what reaches "live". */
function fakePipeline(live: number[], hooks: { encodeError?: Error } = {}): CheckpointSink {
  const none = () => ({ add: () => ({ instance: '', t: 0, flows: 0 }), finish: () => undefined });
  return {
    stage(): StagedBatch {
      const held: Flow[] = [];
      let shown = false;
      let dropped = false;
      const merge = () => {
        shown = true;
        live.push(...held.map((f) => f.bytes));
      };
      return {
        add: (f) => void held.push(...f),
        get records() {
          return held.length;
        },
        encode: (instance) =>
          hooks.encodeError
            ? Promise.reject(hooks.encodeError)
            : held.map((f) => ({ t: f.end, value: Buffer.from(`${instance}/${f.bytes}`) })),
        show: async () => {
          if (!shown && !dropped) merge();
          return shown;
        },
        get shown() {
          return shown;
        },
        drop: () => void (dropped = !shown),
        apply: () => void (shown || merge()),
      };
    },
    restore: none,
    rebuild: none,
  };
}

type Step = 'send' | 'sendOffsets' | 'commit';
const later = () => {
  let open: () => void = () => undefined;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
};

function setup(
  now = { t: 0 },
  partialsAvailable?: () => boolean,
  maxStagedRecords?: number,
  early = false,
) {
  const events: string[] = [];
  const live: number[] = [];
  /** What the partials topic holds committed: flow bytes (= its second, in these tests). */
  const durable: number[] = [];
  let sent: number[] = [];
  const rebuilds: number[] = [];
  const failures: string[] = [];
  const fail: Partial<Record<Step, Error>> = {};
  const gate = { commit: Promise.resolve(), sendOffsets: Promise.resolve() };
  const producer = {
    connect: vi.fn(async () => void events.push('connect')),
    disconnect: vi.fn(async () => void events.push('disconnect')),
    transaction: vi.fn(async () => ({
      send: async (r: { messages: { key: string; timestamp: string }[] }) => {
        if (fail.send) throw fail.send;
        events.push(`send ${r.messages.map((m) => `${m.key}@${m.timestamp}`).join(',')}`);
        sent.push(...r.messages.map((m) => Number(m.timestamp)));
      },
      sendOffsets: async (r: {
        topics: { partitions: { partition: number; offset: string }[] }[];
      }) => {
        await gate.sendOffsets;
        if (fail.sendOffsets) throw fail.sendOffsets;
        const parts = r.topics[0]?.partitions ?? [];
        events.push(`offsets ${parts.map((p) => `${p.partition}:${p.offset}`).join(',')}`);
      },
      commit: async () => {
        await gate.commit;
        if (fail.commit) throw fail.commit;
        events.push('commit');
        durable.push(...sent);
        sent = [];
      },
      abort: async () => {
        events.push('abort');
        sent = [];
      },
    })),
  };
  const processed = new Map<number, number>();
  const onFatal = vi.fn();
  const hooks: { encodeError?: Error } = {};
  const cp = createCheckpointer(cfg, {
    kafka: { producer: () => producer } as unknown as Kafka,
    pipeline: fakePipeline(live, hooks),
    processed,
    logger: pino({ level: 'silent' }),
    metrics: kafkaMetrics(new Registry()),
    now: () => now.t,
    onFailed: (e) => void failures.push(e.code),
    onFatal,
    ...(partialsAvailable ? { partialsAvailable } : {}),
    ...(maxStagedRecords ? { maxStagedRecords } : {}),
    // the restore path as Kafka would answer it: every second from `from` on, as committed
    ...(early
      ? {
          rebuild: async (from: number) => {
            rebuilds.push(from);
            const kept = live.filter((t) => t < from);
            live.length = 0;
            live.push(...kept, ...durable.filter((t) => t >= from));
          },
        }
      : {}),
  });
  return {
    cp,
    events,
    live,
    durable,
    rebuilds,
    failures,
    fail,
    gate,
    processed,
    now,
    onFatal,
    hooks,
  };
}

describe('createCheckpointer', () => {
  it('produces the partials and the offsets in one transaction, then applies the delta', async () => {
    const s = setup();
    await s.cp.connect(async () => new Map([[0, 5]]));
    expect(s.processed.get(0)).toBe(5);
    s.cp.add(0, flows(1000, 2000), 7);
    s.cp.add(1, flows(3000), 4);
    expect(s.cp.position(0)).toBe(7);
    expect(await s.cp.commitIfDue()).toBe(true);
    expect(s.live).toEqual([]); // the interval has not passed
    s.now.t = 1_000;
    s.events.length = 0;
    expect(await s.cp.commitIfDue()).toBe(true); // started, not awaited
    expect(await s.cp.flush()).toBe(true);
    expect(s.events).toEqual([
      'send sw-a:1000@1000,sw-a:2000@2000,sw-a:3000@3000',
      'offsets 0:7,1:4',
      'commit',
    ]);
    expect(s.live).toEqual([1000, 2000, 3000]);
    expect(s.processed).toEqual(
      new Map([
        [0, 7],
        [1, 4],
      ]),
    );
  });

  it('commitIfDue does not wait for the transaction in flight while little is staged behind it', async () => {
    const s = setup({ t: 0 }, undefined, 3);
    await s.cp.connect(async () => new Map());
    const first = later();
    s.gate.commit = first.p;
    s.cp.add(0, flows(1), 1);
    s.now.t = 1_000;
    expect(await s.cp.commitIfDue()).toBe(true); // in flight
    s.cp.add(0, flows(2), 2); // staged meanwhile
    s.now.t = 2_000;
    // due, but the first is still in flight: returns at once, the input keeps flowing
    expect(await s.cp.commitIfDue()).toBe(true);
    s.cp.add(0, flows(3), 3);
    expect(s.live).toEqual([]);
    // three records staged behind it: now the next call waits for the first
    s.cp.add(0, flows(4), 4);
    let second = false;
    const next = s.cp.commitIfDue().then(() => (second = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(second).toBe(false);
    first.open();
    await next;
    expect(await s.cp.flush()).toBe(true);
    // the one sealed while the first was in flight, then what was staged behind it
    expect(s.live).toEqual([1, 2, 3, 4]);
    expect(s.events.filter((e) => e === 'commit')).toHaveLength(3);
    expect(s.processed.get(0)).toBe(4);
  });

  it('a backlog commits at a stretched interval, and on time again once it is read to the high watermark', async () => {
    const s = setup();
    await s.cp.connect(async () => new Map());
    // a slow first transaction (600 ms): catching up, checkpoints come at twice that
    const slow = later();
    s.gate.commit = slow.p;
    s.cp.add(0, flows(1), 1, 10);
    s.now.t = 1_000;
    expect(await s.cp.commitIfDue()).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    slow.open();
    expect(await s.cp.flush()).toBe(true);
    expect(s.live).toEqual([1]);
    s.cp.add(0, flows(2), 2, 10); // opened at 1,000; 8 records still unread
    s.now.t = 2_000;
    expect(await s.cp.commitIfDue()).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(s.live).toEqual([1]); // 1,000 ms passed, the stretched interval (≥ 1,200) has not
    s.cp.add(0, flows(3), 10, 10); // read up to the high watermark
    expect(await s.cp.commitIfDue()).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(s.live).toEqual([1, 2, 3]);
  });

  it('a staged delta lost with a pipeline worker fails the checkpoint: nothing produced, committed or applied', async () => {
    const s = setup();
    await s.cp.connect(async () => new Map([[0, 3]]));
    s.cp.add(0, flows(1), 7);
    s.hooks.encodeError = Object.assign(new Error('pipeline worker failed'), { retriable: true });
    s.events.length = 0;
    expect(await s.cp.flush()).toBe(false);
    expect(s.events).toEqual([]);
    expect(s.live).toEqual([]);
    expect(s.failures).toEqual(['checkpoint_failed']);
    // the consumer is replaced and resumes from the committed offset, 3
    expect(s.processed.get(0)).toBe(3);
    expect(s.cp.broken).toBe(true);
  });

  it('a failed produce aborts, applies nothing and asks for a new consumer', async () => {
    const s = setup();
    await s.cp.connect(async () => new Map());
    s.cp.add(0, flows(1), 2);
    s.fail.send = new Error('broker gone');
    expect(await s.cp.flush()).toBe(false);
    expect(s.events.at(-1)).toBe('abort');
    expect(s.failures).toEqual(['checkpoint_failed']);
    expect(s.live).toEqual([]);
    expect(s.cp.broken).toBe(true);
    s.cp.add(0, flows(2), 3); // the old consumer's late batch: ignored
    expect(s.cp.position(0)).toBe(-1);
    delete s.fail.send;
    await s.cp.connect(async () => new Map());
    expect(s.cp.broken).toBe(false);
    expect(await s.cp.flush()).toBe(true);
    expect(s.live).toEqual([]);
  });

  it.each([
    ['committed', 9, [5]],
    ['not committed', 3, []],
  ])('a lost commit answer is settled by the committed offsets (%s)', async (_, off, want) => {
    const s = setup();
    await s.cp.connect(async () => new Map([[0, 3]]));
    s.cp.add(0, flows(5), 9);
    s.fail.commit = new Error('request timed out');
    expect(await s.cp.flush()).toBe(false);
    expect(s.live).toEqual([]);
    delete s.fail.commit;
    await s.cp.connect(async () => new Map([[0, off]]));
    expect(s.live).toEqual(want);
    expect(s.processed.get(0)).toBe(off);
  });

  it('being fenced repeatedly is fatal: another process holds the instance id', async () => {
    const s = setup();
    const fenced = Object.assign(new Error('fenced'), { type: 'PRODUCER_FENCED' });
    for (let i = 0; i < 3; i++) {
      await s.cp.connect(async () => new Map());
      s.cp.add(0, flows(1), 2);
      s.fail.send = fenced;
      await s.cp.flush();
    }
    expect(s.failures).toEqual(['producer_fenced', 'producer_fenced', 'producer_fenced']);
    expect(s.onFatal).toHaveBeenCalledOnce();
    expect(s.onFatal.mock.calls[0]?.[0]).toBeInstanceOf(KafkaSourceError);
  });

  it('an idle topic still commits: a timer flushes the open checkpoint', async () => {
    vi.useFakeTimers();
    try {
      const s = setup();
      await s.cp.connect(async () => new Map());
      s.cp.add(0, flows(7), 1);
      s.now.t = 1_000;
      await vi.advanceTimersByTimeAsync(1_000);
      expect(s.live).toEqual([7]);
      await s.cp.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a rebalance drops the staged checkpoint uncommitted; settle waits for the one in flight', async () => {
    const s = setup();
    await s.cp.connect(async () => new Map([[0, 5]]));
    const gate = later();
    s.gate.commit = gate.p;
    s.cp.add(0, flows(1), 6);
    s.now.t = 1_000;
    expect(await s.cp.commitIfDue()).toBe(true); // in flight, held at commit
    await new Promise((r) => setTimeout(r, 5)); // its commit is on the wire
    s.cp.add(0, flows(2), 7); // staged after it
    s.cp.add(1, flows(3), 2);
    expect(s.cp.revoke()).toBe(2);
    expect(s.cp.position(1)).toBe(-1); // read again by whoever owns it now
    let settled = false;
    const settling = s.cp.settle().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    gate.open();
    await settling;
    expect(s.live).toEqual([1]); // the committed one counts, the dropped one never
    expect(s.cp.position(0)).toBe(6);
    expect(await s.cp.flush()).toBe(true);
    expect(s.events.filter((e) => e.startsWith('offsets'))).toEqual(['offsets 0:6']);
  });

  it('a rebalance before the commit is sent aborts the transaction in flight: nothing applied, nothing committed', async () => {
    const s = setup();
    await s.cp.connect(async () => new Map([[0, 5]]));
    const gate = later();
    s.gate.sendOffsets = gate.p;
    s.cp.add(0, flows(1), 6);
    s.cp.add(2, flows(4), 9);
    s.now.t = 1_000;
    s.events.length = 0;
    expect(await s.cp.commitIfDue()).toBe(true); // sealing, then in flight
    await new Promise((r) => setTimeout(r, 5)); // held before its offsets
    expect(s.cp.revoke()).toBe(0); // nothing staged besides it
    gate.open();
    await s.cp.settle();
    expect(s.events.filter((e) => e === 'abort' || e === 'commit')).toEqual(['abort']);
    expect(s.live).toEqual([]);
    expect(s.failures).toEqual([]); // not a failure: the consumer goes on
    expect(s.cp.position(0)).toBe(5); // read again from the committed offset
    expect(s.cp.position(2)).toBe(-1);
    // the next checkpoint works as usual
    s.gate.sendOffsets = Promise.resolve();
    s.cp.add(0, flows(7), 6);
    expect(await s.cp.flush()).toBe(true);
    expect(s.live).toEqual([7]);
    expect(s.events.filter((e) => e.startsWith('offsets'))).toEqual([
      'offsets 0:6,2:9',
      'offsets 0:6',
    ]);
  });

  it('with a rebuild, a sealed batch is in the live view before its transaction commits', async () => {
    const s = setup({ t: 0 }, undefined, undefined, true);
    await s.cp.connect(async () => new Map());
    const gate = later();
    s.gate.commit = gate.p;
    s.cp.add(0, flows(1, 2), 2);
    s.now.t = 1_000;
    expect(await s.cp.commitIfDue()).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(s.events.filter((e) => e === 'commit')).toEqual([]); // held on the wire
    expect(s.live).toEqual([1, 2]);
    // a slow transaction does not hold the next batch back either
    s.cp.add(0, flows(3), 3);
    s.now.t = 2_000;
    expect(await s.cp.commitIfDue()).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(s.live).toEqual([1, 2, 3]);
    gate.open();
    expect(await s.cp.flush()).toBe(true);
    expect(s.live).toEqual([1, 2, 3]); // counted once
    expect(s.durable).toEqual([1, 2, 3]);
    expect(s.rebuilds).toEqual([]);
    expect(s.processed.get(0)).toBe(3);
  });

  it.each(['send', 'commit'] as const)(
    'a shown batch whose transaction fails (%s) is rebuilt out before its records are read again: none counts twice',
    async (step) => {
      const s = setup({ t: 0 }, undefined, undefined, true);
      await s.cp.connect(async () => new Map());
      s.cp.add(0, flows(1), 1);
      expect(await s.cp.flush()).toBe(true);
      const gate = later();
      s.gate.commit = gate.p;
      s.cp.add(0, flows(5, 6), 3);
      s.now.t = 1_000;
      s.fail[step] = new Error('broker gone');
      expect(await s.cp.commitIfDue()).toBe(true);
      await new Promise((r) => setTimeout(r, 5));
      expect(s.live).toEqual([1, 5, 6]); // shown while on the wire
      gate.open();
      await expect(s.cp.flush()).resolves.toBe(false);
      expect(s.failures).toEqual(['checkpoint_failed']);
      delete s.fail[step];
      s.gate.commit = Promise.resolve();
      // the new consumer connects: the view is rebuilt from the committed partials first
      await s.cp.connect(async () => new Map([[0, 1]]));
      expect(s.rebuilds).toEqual([5]);
      expect(s.live).toEqual([1]);
      // the records are read again from the committed offset and count once
      expect(s.cp.position(0)).toBe(1);
      s.cp.add(0, flows(5, 6), 3);
      expect(await s.cp.flush()).toBe(true);
      expect(s.live).toEqual([1, 5, 6]);
      expect(s.durable).toEqual([1, 5, 6]);
    },
  );

  it('a shown batch whose transaction a rebalance aborts is rebuilt out before settle resolves', async () => {
    const s = setup({ t: 0 }, undefined, undefined, true);
    await s.cp.connect(async () => new Map([[0, 5]]));
    const gate = later();
    s.gate.sendOffsets = gate.p;
    s.cp.add(0, flows(8), 6);
    s.now.t = 1_000;
    s.events.length = 0;
    expect(await s.cp.commitIfDue()).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(s.live).toEqual([8]);
    s.cp.revoke();
    gate.open();
    await s.cp.settle();
    expect(s.events.filter((e) => e === 'abort' || e === 'commit')).toEqual(['abort']);
    expect(s.rebuilds).toEqual([8]);
    expect(s.live).toEqual([]);
    expect(s.failures).toEqual([]);
    // read again (here by this instance): once
    s.gate.sendOffsets = Promise.resolve();
    s.cp.add(0, flows(8), 6);
    expect(await s.cp.flush()).toBe(true);
    expect(s.live).toEqual([8]);
  });

  it('without the partials topic, commits the offsets alone and still applies the delta', async () => {
    const s = setup({ t: 0 }, () => false);
    await s.cp.connect(async () => new Map());
    s.cp.add(0, flows(1, 2), 3);
    s.events.length = 0;
    expect(await s.cp.flush()).toBe(true);
    expect(s.events).toEqual(['offsets 0:3', 'commit']);
    expect(s.live).toEqual([1, 2]);
  });
});
