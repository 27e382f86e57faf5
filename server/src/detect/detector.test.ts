import type { AlertUpdate } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { Detector } from './detector.js';
import { alertingSchema, rulesSchema, type RuleInput } from './rules.js';
import { createMemoryStore } from './store.js';
import { fakeReader, type FakeSecond } from './testing.js';

const T0 = 1_800_000_000_000;
const settings = alertingSchema.parse({
  sampleEvery: '10s',
  minSamples: 6,
  baselineWindow: '10m',
  refireGrace: '60s',
  updateEvery: '5s',
});

function setup(
  rules: RuleInput[],
  at: (s: number) => FakeSecond | null,
  extra: Partial<typeof settings> = {},
) {
  const store = createMemoryStore();
  const det = new Detector(rulesSchema.parse(rules), { ...settings, ...extra }, store);
  // `at` takes seconds since T0
  const reader = fakeReader((t) => at((t - T0) / 1000));
  const updates: AlertUpdate[] = [];
  let next = 0;
  const runTo = (sec: number) => {
    for (; next < sec; next++) updates.push(...det.evaluate(T0 + next * 1000, reader));
  };
  return { det, store, reader, updates, runTo };
}

const total = (above: number, extra: Partial<RuleInput> = {}): RuleInput => ({
  name: 'total-bps',
  metric: 'bps',
  when: { above },
  for: '3s',
  clearFor: '5s',
  severity: 'critical',
  ...extra,
});

describe('detector', () => {
  it('names every port that carried the attack, at its peak, after the attack resolves', () => {
    const keys = {
      country: 'RU',
      region: 'Eastern Europe',
      continent: 'Europe',
      asn: 'AS12389',
      destination: '203.0.113.10',
      service: 'web',
      protocol: 'UDP',
      vector: 'udp-amp-dns',
    };
    const dns = { flow: { ...keys, sport: 53, dport: 40000, proto: 17 }, bytes: 30_000 };
    const syn = {
      flow: { ...keys, protocol: 'TCP', vector: 'tcp-syn', sport: 40000, dport: 443, proto: 6 },
      bytes: 3_000,
    };
    // DNS reflection and a SYN flood, then the SYN flood alone as the attack fades, then calm
    const { store, runTo } = setup([total(1000)], (s) =>
      s >= 20 && s < 30
        ? { bps: 5000, sample: [dns, syn] }
        : s >= 30 && s < 40
          ? { bps: 2000, sample: [syn] }
          : { bps: 100 },
    );
    runTo(30);
    const a = store.list()[0]!;
    expect(a.explanation?.ports?.map((p) => p.key)).toEqual(['UDP 53 → *', 'TCP * → 443']);
    runTo(50);
    const done = store.get(a.id)!;
    expect(done.state).toBe('resolved');
    // the last seconds held the SYN flood alone, then nothing: both ports stay, DNS first
    expect(done.explanation?.ports?.map((p) => p.key)).toEqual(['UDP 53 → *', 'TCP * → 443']);
    expect(done.explanation?.ports?.[0]?.bps).toBe((30_000 * 8 * 5) / 5);
    expect(done.explanation?.series.at(-1)).toBe(100);
  });

  it('fires a static rule after `for`, explains it, resolves it, and nothing while calm', () => {
    const { store, updates, runTo } = setup([total(1000)], (s) => ({
      bps: s >= 20 && s < 40 ? 5000 : 100,
    }));
    runTo(20);
    expect(updates).toEqual([]);
    runTo(23);
    const a = store.list()[0]!;
    expect(a.id).toBe(`total-bps:total:${T0 / 1000 + 20}`);
    expect(a.state).toBe('firing');
    expect(a.startedAt).toBe(T0 + 20_000);
    expect(a.threshold).toBe(1000);
    expect(a.value).toBe(5000);
    expect(a.description).toContain('All traffic');
    expect(a.explanation?.condition).toBe('bps above 1 kb/s for 3 s');
    expect(a.explanation?.series).toHaveLength(120);
    expect(a.explanation?.series.at(-1)).toBe(5000);
    expect(a.history?.map((h) => h.event)).toEqual(['pending', 'firing']);
    runTo(50);
    expect(store.get(a.id)?.state).toBe('resolved');
    expect(store.get(a.id)?.resolvedAt).toBe(T0 + 45_000);
    expect(store.get(a.id)?.peak).toBe(5000);
    // every update about this alert only
    expect(new Set(updates.map((u) => (u.type === 'upsert' ? u.alert.id : u.id)))).toEqual(
      new Set([a.id]),
    );
  });

  it('re-sends a firing alert every `updateEvery` with fresh values', () => {
    const { updates, runTo } = setup([total(1000, { for: 0 })], (s) => ({
      bps: s >= 10 ? 2000 + s : 0,
    }));
    runTo(21);
    const ups = updates.filter((u) => u.type === 'upsert');
    expect(ups.length).toBe(3); // fired at 10, refreshed at 15 and 20
    expect(ups.at(-1)?.type === 'upsert' && ups.at(-1)?.alert.value).toBe(2020);
  });

  it('removes a pending alert that never fired', () => {
    const { store, updates, runTo } = setup([total(1000)], (s) => ({ bps: s === 5 ? 5000 : 0 }), {
      showPendingAfter: 0,
    });
    runTo(10);
    expect(updates.map((u) => u.type)).toEqual(['upsert', 'remove']);
    expect(store.list()).toEqual([]);
  });

  it('keeps a noisy series quiet: pending alerts shown only after `showPendingAfter`', () => {
    // above the threshold for 2 s of every 5 (never the 10 s of `for`), then for 4 s once
    const bps = (s: number) => ((s < 60 ? s % 5 < 2 : s >= 60 && s < 64) ? 5000 : 0);
    const { det, store, updates, runTo } = setup([total(1000, { for: '10s' })], (s) => ({
      bps: bps(s),
    }));
    runTo(1);
    // pending from the first second on, for the REST API, but not sent nor stored
    expect(det.quietPending().map((a) => [a.state, a.startedAt])).toEqual([['pending', T0]]);
    runTo(60);
    expect(updates).toEqual([]);
    expect(store.list()).toEqual([]);
    expect(det.quietPending()).toEqual([]);
    // held for 3 s: shown (with its whole history), then removed when it ends
    runTo(62);
    expect(updates).toEqual([]);
    runTo(63);
    expect(updates).toHaveLength(1);
    const shown = updates[0]!.type === 'upsert' ? updates[0]!.alert : null;
    expect(shown?.state).toBe('pending');
    expect(shown?.startedAt).toBe(T0 + 60_000);
    expect(shown?.history?.map((h) => h.event)).toEqual(['pending']);
    expect(det.quietPending()).toEqual([]);
    runTo(70);
    expect(updates.map((u) => u.type)).toEqual(['upsert', 'remove']);
  });

  it('sends an alert that fires before `showPendingAfter` as firing, with its pending history', () => {
    const { updates, runTo } = setup([total(1000, { for: '2s' })], (s) => ({
      bps: s >= 5 ? 5000 : 0,
    }));
    runTo(7);
    expect(updates).toHaveLength(1);
    const a = updates[0]!.type === 'upsert' ? updates[0]!.alert : null;
    expect(a?.state).toBe('firing');
    expect(a?.history?.map((h) => h.event)).toEqual(['pending', 'firing']);
  });

  it('shows a quiet pending alert when it is acknowledged', () => {
    const { det, store, runTo } = setup([total(1000, { for: '10s' })], () => ({ bps: 5000 }));
    runTo(2);
    const id = det.quietPending()[0]!.id;
    const res = det.acknowledge(id, 'ops', 'looking', T0 + 2_000);
    expect(res?.alerts[0]?.ack?.by).toBe('ops');
    expect(res?.updates).toHaveLength(1);
    expect(store.get(id)?.state).toBe('pending');
    expect(det.quietPending()).toEqual([]);
  });

  it('makes every wave its own episode, linked to the one before in one incident', () => {
    const bursts = (s: number) => (s >= 10 && s < 20) || (s >= 40 && s < 50) || s >= 200;
    const { store, runTo } = setup([total(1000)], (s) => ({
      bps: bursts(s) ? (s >= 40 ? 9000 : 5000) : 0,
    }));
    runTo(60);
    const [second, first] = store.list().sort((x, y) => y.startedAt - x.startedAt);
    expect(first!.id).toBe(`total-bps:total:${T0 / 1000 + 10}`);
    expect(first!.history?.map((h) => h.event)).toEqual(['pending', 'firing', 'resolved']);
    expect(first!.peak).toBe(5000);
    expect(first!.episode).toEqual({
      n: 1,
      previousId: null,
      previousStartedAt: null,
      previousResolvedAt: null,
    });
    // its own id, start, peak and history; the first one's end and incident (within refireGrace)
    expect(second!.id).toBe(`total-bps:total:${T0 / 1000 + 40}`);
    expect(second!.startedAt).toBe(T0 + 40_000);
    expect(second!.peak).toBe(9000);
    expect(second!.history?.map((h) => h.event)).toEqual(['pending', 'firing', 'resolved']);
    expect(second!.episode).toEqual({
      n: 2,
      previousId: first!.id,
      previousStartedAt: T0 + 10_000,
      previousResolvedAt: T0 + 25_000,
    });
    expect(second!.incidentId).toBe(first!.incidentId);
    // past refireGrace (60 s here): a third episode, its own incident
    runTo(210);
    const third = store.get(`total-bps:total:${T0 / 1000 + 200}`)!;
    expect(third.episode?.n).toBe(3);
    expect(third.episode?.previousId).toBe(second!.id);
    expect(third.incidentId).toBe(`inc:${third.id}`);
  });

  it('never raises an episode twice: a replay after a restart finds it already resolved', () => {
    const wave = (s: number) => ({ bps: s >= 10 && s < 20 ? 5000 : 0 });
    const first = setup([total(1000)], wave);
    first.runTo(40);
    const done = first.store.list()[0]!;
    expect(done.state).toBe('resolved');
    // a second detector on the same store (a restarted instance) judges the same seconds again
    const again = new Detector(rulesSchema.parse([total(1000)]), settings, first.store);
    const updates: AlertUpdate[] = [];
    for (let s = 0; s < 40; s++) updates.push(...again.evaluate(T0 + s * 1000, first.reader));
    expect(
      updates.map((u) => (u.type === 'upsert' ? `${u.alert.id} ${u.alert.state}` : u.id)),
    ).toEqual([]);
    expect(first.store.list()).toEqual([done]);
  });

  it('judges late flows: a second that grows after it was judged fires its rule', () => {
    // an exporter with a long active timeout: seconds 10..39 get their flows only at 40
    const arrived = { upTo: 0 };
    const { store, det, reader } = setup([total(1000)], (s) => ({
      bps: s >= 10 && s < 40 && arrived.upTo >= 40 ? 5000 : 100,
    }));
    const out: AlertUpdate[] = [];
    for (let s = 0; s < 40; s++) out.push(...det.evaluate(T0 + s * 1000, reader));
    expect(out).toEqual([]);
    arrived.upTo = 40;
    const revised = Array.from({ length: 30 }, (_, i) => T0 + (10 + i) * 1000);
    out.push(...det.evaluate(T0 + 40_000, reader, { revised }));
    const a = store.list()[0]!;
    expect(a.state).toBe('firing');
    expect(a.startedAt).toBe(T0 + 10_000);
    expect(a.peak).toBe(5000);
    // shown and explained where its flows are (second 39), not at the empty newest second
    expect(a.value).toBe(5000);
    expect(a.explanation?.series.at(-1)).toBe(5000);
  });

  it('neither resolves nor learns on a second that is not final', () => {
    // the attack's flows for seconds 20.. arrive late: they look calm until final
    const { store, det, reader } = setup([total(1000, { for: 0, clearFor: '3s' })], (s) => ({
      bps: s >= 10 && s < 20 ? 5000 : 0,
    }));
    for (let s = 0; s < 30; s++)
      det.evaluate(T0 + s * 1000, reader, { finalBefore: T0 + (s - 14) * 1000 });
    const a = store.list()[0]!;
    // seconds 20..22 below, but final only up to second 15: still firing
    expect(a.state).toBe('firing');
    det.evaluate(T0 + 30_000, reader, { finalBefore: T0 + 23_000 });
    expect(store.get(a.id)?.state).toBe('resolved');
    expect(store.get(a.id)?.resolvedAt).toBe(T0 + 23_000);
  });

  it('learns per-key baselines, stays quiet while warming, and fires on a surge', () => {
    const rule: RuleInput = {
      name: 'country-surge',
      metric: 'bps',
      scope: 'country',
      when: { baseline: { k: 4, floor: 1000 } },
      for: '2s',
    };
    const { store, runTo } = setup([rule], (s) => ({
      bps: 0,
      keys: {
        country: {
          DE: s < 30 && s >= 20 ? 100_000 : 5000, // a surge while still warming up
          RU: s >= 100 && s < 400 ? 50_000 : 2000,
          ...(s >= 150 ? { BR: 800 } : {}), // a newcomer after warm-up, below the floor
          ...(s >= 160 ? { CN: 50_000 } : {}), // a newcomer flood: zeros before it
        },
      },
    }));
    runTo(90);
    expect(store.list()).toEqual([]);
    runTo(200);
    const ids = store.list().map((a) => a.id);
    expect(ids).toContain(`country-surge:country=RU:${T0 / 1000 + 100}`);
    expect(ids).toContain(`country-surge:country=CN:${T0 / 1000 + 160}`);
    expect(ids.some((id) => id.includes('BR') || id.includes('DE'))).toBe(false);
    const ru = store.list().find((a) => a.subject.country === 'RU')!;
    expect(ru.threshold).toBe(8000);
    expect(ru.explanation?.baseline).toMatchObject({ median: 2000, warm: true });
    // 5 minutes of attack later the baseline has not learnt it
    runTo(399);
    const later = store.get(ru.id)!;
    expect(later.state).toBe('firing');
    expect(later.explanation?.baseline?.median).toBe(2000);
    runTo(460);
    expect(store.get(ru.id)?.state).toBe('resolved');
  });

  it('only watches the keys a rule matches', () => {
    const rule: RuleInput = {
      name: 'web',
      metric: 'bps',
      scope: 'destination',
      match: ['203.0.113.10'],
      when: { above: 100 },
    };
    const { store, runTo } = setup([rule], () => ({
      bps: 0,
      keys: { destination: { '203.0.113.10': 500, '203.0.113.20': 500 } },
    }));
    runTo(3);
    expect(store.list().map((a) => a.subject)).toEqual([{ destination: '203.0.113.10' }]);
  });

  it('watches one country toward one target as its own series (a pair scope)', () => {
    const rule: RuleInput = {
      name: 'web-from-one-country',
      metric: 'bps',
      scope: 'country.destination',
      match: '203.0.113.10',
      when: { above: 1000 },
      severity: 'critical',
    };
    const at = () => ({
      bps: 20_000,
      keys: {
        'country.destination': {
          'RU\u001f203.0.113.10': 5000,
          'BR\u001f203.0.113.10': 500,
          'RU\u001f203.0.113.20': 9000,
          other: 5500,
        },
      },
    });
    const { store, runTo } = setup([rule], at);
    runTo(2);
    const [a, ...more] = store.list();
    expect(more).toEqual([]);
    expect(a!.subject).toEqual({ country: 'RU', destination: '203.0.113.10' });
    expect(a!.id).toBe(`web-from-one-country:country.destination=RU/203.0.113.10:${T0 / 1000}`);
    expect(a!.value).toBe(5000);
    expect(a!.state).toBe('firing');

    // replayed into a new detector (a restart), the same alert carries on under the same id
    const det2 = new Detector(rulesSchema.parse([rule]), settings, store);
    expect(det2.restore().filter((u) => u.type === 'remove')).toEqual([]);
    const reader = fakeReader(at);
    for (let s = 2; s < 5; s++) det2.evaluate(T0 + s * 1000, reader);
    expect(store.list().map((x) => [x.id, x.state])).toEqual([[a!.id, 'firing']]);
  });

  it("gives the total's normal band once its baseline is warm", () => {
    const { det, runTo } = setup(
      [
        total(1e9, { name: 'static' }),
        total(0, { name: 'surge', when: { baseline: { k: 3, floor: 100 } } }),
      ],
      () => ({ bps: 1000 }),
    );
    runTo(30);
    expect(det.band()).toBeNull(); // 3 of 6 samples
    runTo(80);
    expect(det.band()).toEqual({ median: 1000, upper: 3000 });
  });

  it('starts silence ids with its prefix, so instances sharing silences never collide', () => {
    const a = new Detector([], settings, createMemoryStore(), 'sil-a');
    const b = new Detector([], settings, createMemoryStore(), 'sil-b');
    const req = { matchers: { country: 'RU' }, durationMin: 5, reason: 'x' };
    expect(a.silence(req, 'ann', T0).silence.id).toBe(`sil-a-${T0 / 1000}-1`);
    expect(b.silence(req, 'bob', T0).silence.id).toBe(`sil-b-${T0 / 1000}-1`);
  });

  it('acknowledges an alert with who, when and a note', () => {
    const { det, store, runTo } = setup([total(1000, { for: 0 })], () => ({ bps: 5000 }));
    runTo(2);
    const id = store.list()[0]!.id;
    const res = det.acknowledge(id, 'anonymous', 'on it', T0 + 2500)!;
    expect(res.alerts[0]!.ack).toEqual({ by: 'anonymous', at: T0 + 2500, note: 'on it' });
    expect(res.updates).toHaveLength(1);
    expect(store.get(id)!.history!.at(-1)).toMatchObject({
      event: 'acknowledged',
      by: 'anonymous',
    });
    // later evaluations never send an older updatedAt than the ack's
    runTo(10);
    expect(store.get(id)!.updatedAt).toBeGreaterThanOrEqual(T0 + 2500);
    expect(det.acknowledge('nope', 'x', '', T0)).toBeNull();
  });

  it('silences matching alerts until the silence expires', () => {
    const rule: RuleInput = { name: 'c', metric: 'bps', scope: 'country', when: { above: 100 } };
    const { det, store, updates, runTo } = setup([rule], () => ({
      bps: 0,
      keys: { country: { RU: 500, BR: 500 } },
    }));
    runTo(2);
    const { silence, updates: su } = det.silence(
      { matchers: { country: 'RU', rule: 'c' }, durationMin: 1, reason: 'known' },
      'anonymous',
      T0 + 2000,
    );
    expect(silence.expiresAt).toBe(T0 + 62_000);
    expect(su).toHaveLength(1);
    const ru = () => store.list().find((a) => a.subject.country === 'RU')!;
    const br = () => store.list().find((a) => a.subject.country === 'BR')!;
    expect(ru().silencedBy).toBe(silence.id);
    expect(br().silencedBy).toBeNull();
    runTo(61);
    expect(ru().silencedBy).toBe(silence.id);
    updates.length = 0;
    runTo(62);
    expect(ru().silencedBy).toBeNull();
    expect(store.silences()).toEqual([]);
    expect(ru().history!.map((h) => h.event)).toEqual(['firing', 'silenced', 'unsilenced']);
    expect(updates.some((u) => u.type === 'upsert' && u.alert.id === ru().id)).toBe(true);
  });

  it('ends a silence early', () => {
    const { det, store, runTo } = setup([total(100, { for: 0 })], () => ({ bps: 500 }));
    runTo(1);
    const { silence } = det.silence(
      { matchers: { severity: 'critical' }, durationMin: 60, reason: 'maintenance' },
      'anonymous',
      T0 + 1000,
    );
    expect(store.list()[0]!.silencedBy).toBe(silence.id);
    expect(det.unsilence(silence.id, T0 + 2000)).toHaveLength(1);
    expect(store.list()[0]!.silencedBy).toBeNull();
    expect(det.unsilence(silence.id, T0 + 2000)).toBeNull();
  });

  it('groups simultaneous alerts on one target or from the same countries into an incident', () => {
    const rules: RuleInput[] = [
      { name: 'dst', metric: 'bps', scope: 'destination', when: { above: 100 } },
      { name: 'dst-pps', metric: 'pps', scope: 'destination', when: { above: 0.1 } },
      { name: 'country', metric: 'bps', scope: 'country', when: { above: 100 } },
    ];
    const { det, store, runTo } = setup(rules, (s) => ({
      bps: 0,
      keys: {
        destination: { '203.0.113.10': 500, ...(s >= 5 ? { '203.0.113.20': 500 } : {}) },
        country: { RU: s >= 3 ? 500 : 0 },
      },
    }));
    runTo(10);
    const inc = (rule: string, key: string) =>
      store.list().find((a) => a.rule === rule && Object.values(a.subject)[0] === key)!.incidentId;
    const first = inc('dst', '203.0.113.10');
    expect(first).toMatch(/^inc:dst(-pps)?:destination=203\.0\.113\.10:/);
    expect(inc('dst-pps', '203.0.113.10')).toBe(first);
    expect(inc('dst', '203.0.113.20')).not.toBe(first);
    expect(inc('dst-pps', '203.0.113.20')).toBe(inc('dst', '203.0.113.20'));
    // acknowledging the incident acknowledges every alert in it
    const res = det.acknowledge(first!, 'anonymous', 'campaign', T0 + 10_000)!;
    expect(res.alerts).toHaveLength(2);
    expect(store.list().filter((a) => a.ack).length).toBe(2);
  });

  it('keeps state and baselines of unchanged rules across a reload', () => {
    const { det, store, runTo } = setup([total(1000, { for: 0 })], () => ({ bps: 5000 }));
    runTo(2);
    det.setRules(det.rules());
    runTo(4);
    expect(store.list()).toHaveLength(1);
  });
});

describe('detector restored from a durable store', () => {
  it('continues firing alerts under the same id and drops pending ones', () => {
    const first = setup([total(1000, { for: 0 })], () => ({ bps: 5000 }));
    first.runTo(3);
    const id = first.store.list()[0]!.id;
    first.det.acknowledge(id, 'ops', 'seen', T0 + 3000);
    // a new process over the same store (as replayed from Kafka)
    const store = first.store;
    const det = new Detector(rulesSchema.parse([total(1000, { for: 0 })]), settings, store);
    expect(det.restore()).toEqual([]);
    const reader = fakeReader((t) => ({ bps: t < T0 + 10_000 ? 5000 : 0 }));
    for (let s = 5; s < 60; s++) det.evaluate(T0 + s * 1000, reader);
    expect(store.list()).toHaveLength(1);
    const a = store.get(id)!;
    expect(a.state).toBe('resolved');
    expect(a.ack?.by).toBe('ops');
  });
});
