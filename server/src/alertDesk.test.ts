import type { AlertUpdate } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { createAlertDesk } from './alertDesk.js';
import { alertingSchema, createMemoryStore, rulesSchema } from './detect/index.js';
import { fakeReader } from './detect/testing.js';

const T0 = 1_800_000_000_000;

function setup(extra: Partial<Parameters<typeof createAlertDesk>[0]> = {}) {
  let now = T0;
  let ready = false;
  const evaluated: number[] = [];
  const fake = fakeReader(() => ({ bps: 5000 }));
  const reader = {
    ...fake,
    // the seconds judged as the newest, in order (final and revised seconds are read too)
    second: (t: number) => {
      if (t > (evaluated.at(-1) ?? -Infinity)) evaluated.push(t);
      return fake.second(t);
    },
  };
  const desk = createAlertDesk({
    rules: rulesSchema.parse([{ name: 'big', metric: 'bps', when: { above: 1000 } }]),
    settings: alertingSchema.parse({}),
    store: createMemoryStore(),
    reader,
    now: () => now,
    ready: () => ready,
    catchUpMs: 600_000,
    oldest: () => T0 - 100_000,
    ...extra,
  });
  const updates: AlertUpdate[] = [];
  desk.onUpdate((u) => updates.push(u));
  return {
    desk,
    updates,
    evaluated,
    setReady: () => (ready = true),
    setNow: (t: number) => (now = t),
  };
}

describe('alert desk', () => {
  it('waits for the source, then catches up from the oldest second a minute per call', () => {
    const { desk, evaluated, setReady } = setup();
    desk.evaluate(T0);
    expect(evaluated).toEqual([]);
    expect(desk.caughtUp()).toBe(false);
    setReady();
    desk.evaluate(T0);
    expect(evaluated[0]).toBe(T0 - 100_000);
    expect(evaluated).toHaveLength(60);
    expect(desk.caughtUp()).toBe(false);
    desk.evaluate(T0);
    expect(desk.caughtUp()).toBe(true);
    desk.evaluate(T0);
    expect(evaluated.at(-1)).toBe(T0);
    expect(evaluated).toHaveLength(101);
  });

  it('Kafka: judges a second once it ended; clears only on seconds final and visible', () => {
    let visible: number | null = null;
    let now = T0;
    const store = createMemoryStore();
    const desk = createAlertDesk({
      rules: rulesSchema.parse([
        { name: 'big', metric: 'bps', when: { above: 1000 }, for: 0, clearFor: '1s' },
      ]),
      settings: alertingSchema.parse({}),
      store,
      // an attack in seconds T0 and T0 + 1 s, then nothing
      reader: fakeReader((t) => ({ bps: t < T0 + 2000 ? 5000 : 0 })),
      now: () => now,
      ready: () => true,
      catchUpMs: 0,
      oldest: () => T0,
      visibleUntil: () => visible,
      settleMs: 300,
      patienceMs: 3_000,
    });
    // second T0 has ended: what has arrived of it fires, nothing read after it is visible yet
    now = T0 + 1_100;
    desk.evaluate(T0);
    const id = `big:total:${T0 / 1000}`;
    expect(store.get(id)?.state).toBe('firing');
    // seconds up to T0 + 2 s judged; what was read until T0 + 1.3 s is visible: only T0 final
    now = T0 + 3_100;
    visible = T0 + 1_300;
    desk.evaluate(T0 + 2_000);
    expect(store.get(id)?.state).toBe('firing');
    // read until T0 + 3.4 s visible: T0 + 2 s (calm) is final and clears it
    now = T0 + 4_100;
    visible = T0 + 3_400;
    desk.evaluate(T0 + 3_000);
    expect(store.get(id)?.state).toBe('resolved');
    expect(store.get(id)?.resolvedAt).toBe(T0 + 3_000);
  });

  it('an idle input: seconds become final `patienceMs` after the lateness horizon', () => {
    let now = T0;
    const store = createMemoryStore();
    const desk = createAlertDesk({
      rules: rulesSchema.parse([
        { name: 'big', metric: 'bps', when: { above: 1000 }, for: 0, clearFor: '1s' },
      ]),
      settings: alertingSchema.parse({}),
      store,
      reader: fakeReader((t) => ({ bps: t < T0 + 1000 ? 5000 : 0 })),
      now: () => now,
      ready: () => true,
      catchUpMs: 0,
      oldest: () => T0,
      visibleUntil: () => T0 + 1_000,
      settleMs: 300,
      patienceMs: 3_000,
    });
    now = T0 + 1_100;
    desk.evaluate(T0);
    now = T0 + 5_900;
    desk.evaluate(T0 + 4_000);
    expect(store.list()[0]?.state).toBe('firing');
    // final before now − 1 s (horizon) − 3 s (patience) = T0 + 2 s: T0 + 1 s is calm and final
    now = T0 + 6_000;
    desk.evaluate(T0 + 5_000);
    expect(store.list()[0]?.state).toBe('resolved');
  });

  it('judges a second again when late flows reach it, and learns how late they come', () => {
    let now = T0;
    let late = false;
    const touched = new Map<number, number>();
    const store = createMemoryStore();
    const desk = createAlertDesk({
      rules: rulesSchema.parse([{ name: 'big', metric: 'bps', when: { above: 1000 }, for: 0 }]),
      settings: alertingSchema.parse({}),
      store,
      // second T0 + 2 s gets its flows only at T0 + 40 s (a long active timeout)
      reader: fakeReader((t) => ({ bps: t === T0 + 2000 && late ? 5000 : 100 })),
      now: () => now,
      ready: () => true,
      catchUpMs: 0,
      oldest: () => T0,
      touched: () => {
        const copy = new Map(touched);
        touched.clear();
        return copy;
      },
    });
    for (let s = 0; s < 40; s++) {
      now = T0 + (s + 1) * 1000 + 100;
      touched.set(T0 + s * 1000, 100);
      desk.evaluate(T0 + s * 1000);
    }
    expect(store.list()).toEqual([]);
    late = true;
    touched.set(T0 + 2000, 5000 / 1000);
    desk.evaluate(T0 + 39_000);
    const a = store.list()[0];
    expect(a?.state).toBe('firing');
    expect(a?.startedAt).toBe(T0 + 2000);
  });

  it('lists a pending alert that is not shown to browsers yet', () => {
    const { desk, updates, setReady, setNow } = setup({
      rules: rulesSchema.parse([
        { name: 'slow', metric: 'bps', when: { above: 1000 }, for: '10s' },
      ]),
      oldest: () => T0,
      catchUpMs: 0,
    });
    setReady();
    setNow(T0 + 2_500);
    desk.evaluate(T0 + 1_000);
    expect(desk.list('pending').map((a) => a.id)).toEqual([`slow:total:${T0 / 1000 + 1}`]);
    expect(desk.list()).toHaveLength(1);
    expect(updates).toEqual([]);
  });

  it('validates acks and silences, answers with codes, and tells listeners', () => {
    const { desk, updates, setReady, setNow } = setup();
    setReady();
    for (let i = 0; i < 3; i++) desk.evaluate(T0);
    const id = desk.list('firing')[0]!.id;
    expect(desk.ack({ id: 5 }, 'anonymous')).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(desk.ack({ id: 'x' }, 'anonymous')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    setNow(T0 + 500);
    updates.length = 0;
    const res = desk.ack({ id, note: 'mine' }, 'anonymous');
    expect(res.ok && res.data.ack).toEqual({ by: 'anonymous', at: T0 + 500, note: 'mine' });
    expect(updates).toHaveLength(1);
    expect(desk.silence({ matchers: {}, durationMin: 1, reason: 'r' }, 'a')).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    const s = desk.silence({ matchers: { rule: 'big' }, durationMin: 1, reason: 'r' }, 'a');
    expect(s.ok).toBe(true);
    expect(desk.current()[0]!.silencedBy).toBe(s.ok ? s.data.id : '');
    expect(desk.unsilence('nope')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
