import type { Consumer } from 'kafkajs';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJoinGuard } from './kafkaJoin.js';

/** A consumer that records pause / seek / resume calls in order. */
function fakeConsumer() {
  const calls: string[] = [];
  const c = {
    pause: (t: { partitions: number[] }[]) => calls.push(`pause ${t[0]?.partitions.join(',')}`),
    resume: (t: { partitions: number[] }[]) => calls.push(`resume ${t[0]?.partitions.join(',')}`),
    seek: (s: { partition: number; offset: string }) =>
      calls.push(`seek ${s.partition}@${s.offset}`),
  };
  return { c: c as unknown as Consumer, calls };
}

describe('createJoinGuard', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds newly assigned partitions, then starts them from the offsets committed meanwhile', async () => {
    vi.useFakeTimers();
    // the previous owner's commit lands during the grace: 5 → 9 on partition 1
    let committed = new Map([
      [0, 3],
      [1, 5],
      [2, -1],
    ]);
    const takeovers: number[] = [];
    const g = createJoinGuard({
      topic: 'flows',
      committed: async () => committed,
      logger: pino({ level: 'silent' }),
      graceMs: 1_000,
      onTakeover: (n) => takeovers.push(n),
    });
    const { c, calls } = fakeConsumer();
    g.joined(c, [0, 1, 2]);
    expect(calls).toEqual(['pause 0,1,2']);
    expect([0, 1, 2].map((p) => g.held(p))).toEqual([true, true, true]);
    committed = new Map([
      [0, 3],
      [1, 9],
      [2, -1],
    ]);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual(['pause 0,1,2']);
    await vi.advanceTimersByTimeAsync(1);
    // no commit yet on partition 2: kafkajs's reset policy decides, no seek
    expect(calls).toEqual(['pause 0,1,2', 'seek 0@3', 'seek 1@9', 'resume 0,1,2']);
    expect(g.held(1)).toBe(false);
    expect(takeovers).toEqual([3]);

    // a rebalance that keeps 1 and 2 and adds 4: only 4 waits
    calls.length = 0;
    g.joined(c, [1, 2, 4]);
    expect(calls).toEqual(['pause 4']);
    expect([1, 2, 4].map((p) => g.held(p))).toEqual([false, false, true]);
    committed = new Map([[4, 40]]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual(['pause 4', 'seek 4@40', 'resume 4']);
  });

  it('a consumer alone in its group starts its partitions at once (from the committed offsets)', async () => {
    vi.useFakeTimers();
    let members = 1;
    const g = createJoinGuard({
      topic: 'flows',
      committed: async () => new Map([[0, 12]]),
      alone: async () => members === 1,
      logger: pino({ level: 'silent' }),
      graceMs: 1_000,
    });
    const { c, calls } = fakeConsumer();
    g.joined(c, [0, 1]);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['pause 0,1', 'seek 0@12', 'resume 0,1']);
    // another member joined: what this one is newly given waits out the grace
    members = 2;
    calls.length = 0;
    g.joined(c, [1, 2]);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual(['pause 2']);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['pause 2', 'resume 2']);
  });

  it('a second join during the grace supersedes the first: what still waits waits afresh; a new consumer owns nothing', async () => {
    vi.useFakeTimers();
    const g = createJoinGuard({
      topic: 'flows',
      committed: async () => new Map([[0, 7]]),
      logger: pino({ level: 'silent' }),
      graceMs: 1_000,
    });
    const { c, calls } = fakeConsumer();
    g.joined(c, [0, 1]);
    await vi.advanceTimersByTimeAsync(500);
    g.joined(c, [0]); // lost 1 half-way through; 0 waits afresh
    expect(g.held(0)).toBe(true);
    expect(g.held(1)).toBe(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual(['pause 0,1', 'pause 0']);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['pause 0,1', 'pause 0', 'seek 0@7', 'resume 0']);
    expect(g.held(0)).toBe(false);
    g.reset();
    g.joined(c, [0]);
    expect(g.held(0)).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.slice(4)).toEqual(['pause 0', 'seek 0@7', 'resume 0']);
  });
});
