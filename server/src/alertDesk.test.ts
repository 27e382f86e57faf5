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
    second: (t: number) => {
      evaluated.push(t);
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

  it('Kafka: evaluates a second once what was read after its end is visible, or after patience', () => {
    let visible: number | null = null;
    const { desk, evaluated, setReady, setNow } = setup({
      oldest: () => T0,
      catchUpMs: 0,
      visibleUntil: () => visible,
      settleMs: 300,
      patienceMs: 3_000,
    });
    setReady();
    // second T0 has ended, but nothing read after it is visible yet
    setNow(T0 + 1_100);
    desk.evaluate(T0);
    expect(evaluated).toEqual([]);
    // the checkpoint applied holds records read until T0 + 1.2 s: not yet settled
    visible = T0 + 1_200;
    desk.evaluate(T0);
    expect(evaluated).toEqual([]);
    visible = T0 + 1_300;
    desk.evaluate(T0);
    expect(evaluated).toEqual([T0]);
    expect(desk.caughtUp()).toBe(true);
    // an idle input: seconds go on once `patienceMs` has passed after their end
    setNow(T0 + 5_500);
    desk.evaluate(T0 + 4_000);
    expect(evaluated).toEqual([T0, T0 + 1_000]);
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
