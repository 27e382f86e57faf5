import type { SourceStatus, TrafficSnapshot } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { createLiveStore } from './createLiveStore.js';
import { emptyTop, point, seconds, tick } from './testPoints.js';

const source: SourceStatus = {
  kind: 'demo',
  connected: true,
  lag: null,
  recordsPerSec: 5000,
  decodeErrors: 0,
  lastRecordTs: 9000,
};

function snapshot(over: Partial<TrafficSnapshot> = {}): TrafficSnapshot {
  return Object.assign(
    { top: emptyTop() },
    {
      now: 10_500,
      stepMs: 1000,
      points: seconds(0, 10, () => ({ RU: 100 })),
      source,
      alerts: [],
      names: { RU: 'Russia' },
      ...over,
    },
  );
}

/** A store whose clock and notification flushes the test drives by hand. */
function harness() {
  let clock = 1_000;
  const queue: (() => void)[] = [];
  const store = createLiveStore({
    now: () => clock,
    schedule: (f) => queue.push(f),
    limits: { maxPoints: 20, maxAgeMs: 60_000 },
  });
  let notified = 0;
  store.subscribe(() => notified++);
  return {
    store,
    tick: (ms: number) => (clock += ms),
    flush: () => queue.splice(0).forEach((f) => f()),
    notified: () => notified,
  };
}

describe('createLiveStore', () => {
  it('starts empty and connecting', () => {
    const { store } = harness();
    expect(store.getState()).toMatchObject({
      points: [],
      source: null,
      lastTickAt: null,
      startedAt: 1000,
    });
    expect(store.getState().connection.kind).toBe('connecting');
  });

  it('replaces everything on a snapshot', () => {
    const { store } = harness();
    store.applySnapshot(snapshot());
    store.applySnapshot(snapshot({ points: [point(50_000)], names: { BR: 'Brazil' } }));
    const s = store.getState();
    expect(s.points.map((p) => p.t)).toEqual([50_000]);
    expect(s.names).toEqual({ RU: 'Russia', BR: 'Brazil' });
    expect(s.source).toBe(source);
    expect(s.serverNow).toBe(10_500);
    expect(s.clockOffsetMs).toBe(9_500);
    expect(s.lastTickAt).toBe(1000);
  });

  it('merges ticks by t, late data replacing, and stays bounded', () => {
    const h = harness();
    h.store.applySnapshot(snapshot());
    const late = point(9000, { RU: 999 });
    h.tick(1000);
    h.store.applyTick(tick(11_500, [late, point(10_000)], {}));
    const s = h.store.getState();
    expect(s.points.length).toBe(11);
    expect(s.points[9]).toBe(late);
    expect(s.lastTickAt).toBe(2000);
    for (let i = 11; i < 100; i++) h.store.applyTick(tick(i * 1000, [point(i * 1000)], {}));
    expect(h.store.getState().points.length).toBe(20);
  });

  it('notifies once per flush however many changes came in the same task', () => {
    const h = harness();
    h.store.applySnapshot(snapshot());
    h.store.applyTick(tick(11_500, [point(10_000)], {}));
    h.store.setSource({ ...source, recordsPerSec: 1 });
    h.store.connectionEvent({ type: 'connect' });
    expect(h.notified()).toBe(0);
    h.flush();
    expect(h.notified()).toBe(1);
    h.store.applyTick(tick(12_500, [point(11_000)], {}));
    h.flush();
    expect(h.notified()).toBe(2);
  });

  it('keeps identities of untouched parts, so selectors skip renders', () => {
    const h = harness();
    h.store.applySnapshot(snapshot());
    const before = h.store.getState();
    h.store.applyTick(tick(11_500, [point(10_000)], { RU: 'Russia' }));
    const after = h.store.getState();
    expect(after.names).toBe(before.names);
    expect(after.source).toBe(before.source);
    expect(after.points).not.toBe(before.points);
    h.store.setSource(source);
    expect(h.store.getState().points).toBe(after.points);
  });

  it('does not notify when a connection event changes nothing', () => {
    const h = harness();
    h.store.connectionEvent({ type: 'connect' });
    h.flush();
    const n = h.notified();
    h.store.connectionEvent({ type: 'reconnect_attempt', attempt: 4 });
    h.store.applyAlertUpdate({ type: 'remove', id: 'nope' });
    h.flush();
    expect(h.notified()).toBe(n);
  });

  it('tracks alerts from the snapshot and updates', () => {
    const h = harness();
    const a = {
      id: 'a',
      rule: 'r',
      severity: 'critical' as const,
      state: 'firing' as const,
      subject: {},
      description: 'd',
      metric: 'bps',
      threshold: 1,
      value: 2,
      peak: 2,
      startedAt: 1,
      updatedAt: 1,
      resolvedAt: null,
      ack: null,
    };
    h.store.applySnapshot(snapshot({ alerts: [a] }));
    expect(h.store.getState().alerts.get('a')).toBe(a);
    h.store.applyAlertUpdate({ type: 'remove', id: 'a' });
    expect(h.store.getState().alerts.size).toBe(0);
  });

  it('unsubscribes', () => {
    const h = harness();
    let calls = 0;
    const off = h.store.subscribe(() => calls++);
    off();
    h.store.setSource(source);
    h.flush();
    expect(calls).toBe(0);
  });
});
