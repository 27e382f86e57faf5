import type {
  AckResult,
  Alert,
  AlertUpdate,
  ClientToServerEvents,
  ServerToClientEvents,
  Silence,
  TrafficSnapshot,
} from '@surgewatch/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';

/** The demo loop in this test, and its phases as fractions of it (scenario.ts). */
const LOOP = 120_000;
const WAVE1 = [0.25, 0.42] as const;
const WAVE2 = [0.58, 0.83] as const;
/** Baselines warm after 3 samples of 5 s; allow a little more. */
const WARM_MS = 20_000;

type Phase = 'calm' | 'wave1' | 'wave2';
function phaseAt(t: number): Phase {
  const x = (t % LOOP) / LOOP;
  if (x >= WAVE1[0] && x <= WAVE1[1]) return 'wave1';
  if (x >= WAVE2[0] && x <= WAVE2[1]) return 'wave2';
  return 'calm';
}
/** The end (ms epoch) of the first wave `w` that starts at or after `t`. */
function nextWaveEnd(t: number, w: readonly [number, number]): number {
  const loopStart = t - (t % LOOP);
  const start = loopStart + w[0] * LOOP;
  return (start >= t ? start : start + LOOP) + (w[1] - w[0]) * LOOP;
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const connect = (url: string): Client =>
  io(url, { transports: ['websocket'], reconnection: false });

describe('detection on the demo scenario', () => {
  let server: RunningServer;
  let watcher: Client;
  let startedAt = 0;
  /** Every alert as last sent over socket.io, by id, with the time it was first seen. */
  const alerts = new Map<string, Alert>();
  const firstSeen = new Map<string, number>();

  beforeAll(async () => {
    server = await startServer({
      config: {
        demo: { seed: 5, loop: '120s', backfill: '0s', baselineFps: 200 },
        alerting: { sampleEvery: '5s', minSamples: 3, baselineWindow: '2m', refireGrace: '20s' },
      },
    });
    await waitFor(async () => (await fetch(`${server.url}/readyz`)).status === 200, 30_000);
    startedAt = Date.now();
    watcher = connect(server.url);
    watcher.on('alert:update', (u: AlertUpdate) => {
      if (u.type === 'remove') {
        alerts.delete(u.id);
        return;
      }
      alerts.set(u.alert.id, u.alert);
      if (!firstSeen.has(u.alert.id)) firstSeen.set(u.alert.id, Date.now());
    });
    await new Promise((resolve) => watcher.once('traffic:snapshot', resolve));
  });
  afterAll(async () => {
    watcher?.close();
    await server?.stop();
  });

  /** Alerts that started after warm-up, in a phase. */
  const startedIn = (phase: Phase) =>
    [...alerts.values()].filter(
      (a) => a.startedAt >= startedAt + WARM_MS && phaseAt(a.startedAt) === phase,
    );
  const fired = (a: Alert) => a.state !== 'pending';

  it('fires for wave 1 on Russia, Brazil or the canvass tool, with an explanation', async () => {
    const end = nextWaveEnd(startedAt + WARM_MS, WAVE1);
    // the botnet's own alerts (a country, or the target it floods), not only a vector's
    const onBotnet = (a: Alert) =>
      ['RU', 'BR', '203.0.113.30'].includes(a.subject.country ?? a.subject.destination ?? '');
    await waitFor(
      () => startedIn('wave1').filter(fired).some(onBotnet) || Date.now() > end + 10_000,
      end + 15_000 - Date.now(),
      500,
    );
    const wave1 = startedIn('wave1').filter(fired);
    expect(wave1.length).toBeGreaterThan(0);
    const subjects = wave1.map((a) => a.subject.country ?? a.subject.destination);
    expect(subjects.some((s) => ['RU', 'BR', '203.0.113.30'].includes(s ?? ''))).toBe(true);
    const a = wave1.find((x) => x.subject.country === 'RU' || x.subject.country === 'BR');
    if (a) {
      expect(a.explanation?.condition).toMatch(/above/);
      expect(a.explanation?.series.length).toBe(120);
      expect(a.value).toBeGreaterThan(a.threshold * 0.8);
    }
    // the botnet's HTTPS request floods and SYNs: named by the destination port they hit
    for (const x of wave1.filter((w) => w.subject.country || w.subject.destination)) {
      expect(x.explanation?.ports?.[0]).toMatchObject({ key: 'TCP * → 443', name: 'HTTPS' });
    }
  }, 200_000);

  it('fires for wave 2 on the website and API and the attack vectors', async () => {
    const end = nextWaveEnd(startedAt + WARM_MS, WAVE2);
    const keysOf = (list: Alert[]) => new Set(list.flatMap((a) => Object.values(a.subject)));
    const done = () => {
      const keys = keysOf(startedIn('wave2').filter(fired));
      return (
        (keys.has('203.0.113.10') || keys.has('203.0.113.20')) &&
        [...keys].some((k) => k.startsWith('udp-amp'))
      );
    };
    await waitFor(() => done() || Date.now() > end + 10_000, end + 15_000 - Date.now(), 500);
    const wave2 = startedIn('wave2').filter(fired);
    const keys = keysOf(wave2);
    expect(keys.has('203.0.113.10') || keys.has('203.0.113.20')).toBe(true);
    expect([...keys].some((k) => k.startsWith('udp-amp'))).toBe(true);
    // ports: an amplification vector is named by its reflectors' source port; the targets'
    // explanations name the DNS reflection and the SYN flood's destination port
    const AMP_PORTS: Record<string, string> = {
      'udp-amp-dns': 'UDP 53 → *',
      'udp-amp-ntp': 'UDP 123 → *',
      'udp-amp-memcached': 'UDP 11211 → *',
      'udp-amp-ssdp': 'UDP 1900 → *',
      'udp-amp-cldap': 'UDP 389 → *',
    };
    const amp = wave2.filter((a) => a.subject.vector?.startsWith('udp-amp'));
    expect(amp.length).toBeGreaterThan(0);
    for (const a of amp) {
      expect(a.explanation?.ports?.[0]?.key).toBe(AMP_PORTS[a.subject.vector as string]);
      expect(a.explanation?.ports?.[0]?.share).toBeGreaterThan(0.99);
    }
    const portsOf = (dst: string) =>
      wave2
        .filter((a) => a.subject.destination === dst)
        .flatMap((a) => a.explanation?.ports?.map((p) => p.key) ?? []);
    const targets = [...portsOf('203.0.113.10'), ...portsOf('203.0.113.20')];
    expect(targets).toContain('UDP 53 → *');
    // the SYN flood hits the website only
    const website = portsOf('203.0.113.10');
    if (website.length > 0) expect(website).toContain('TCP * → 443');
    // simultaneous alerts on the same target or sources share incidents
    const incidents = new Set(wave2.map((a) => a.incidentId));
    expect(incidents.size).toBeLessThan(wave2.length);
  }, 200_000);

  it('raises nothing during calm', () => {
    // a wave's first flows began a moment before it (a flow counts over the seconds it
    // lasted), and the first-second rules fire on them: an alert is calm's if it began more
    // than 2 s before a wave
    const calm = startedIn('calm')
      .filter((a) => phaseAt(a.startedAt + 2_000) === 'calm')
      .map((a) => `${a.id} at ${new Date(a.startedAt).toISOString()}`);
    expect(calm).toEqual([]);
  });

  it('answers the REST API: alerts by state, rules, silences', async () => {
    const all = (await (await fetch(`${server.url}/api/alerts`)).json()) as { alerts: Alert[] };
    expect(all.alerts.length).toBeGreaterThan(0);
    const resolved = (await (await fetch(`${server.url}/api/alerts?state=resolved`)).json()) as {
      alerts: Alert[];
    };
    expect(resolved.alerts.every((a) => a.state === 'resolved')).toBe(true);
    expect((await fetch(`${server.url}/api/alerts?state=weird`)).status).toBe(400);
    const rules = (await (await fetch(`${server.url}/api/rules`)).json()) as {
      rules: { name: string }[];
    };
    expect(rules.rules.map((r) => r.name)).toContain('country-surge');

    const bad = await fetch(`${server.url}/api/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ matchers: {}, durationMin: 5, reason: 'x' }),
    });
    expect(bad.status).toBe(400);
    const made = await fetch(`${server.url}/api/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ matchers: { country: 'ZZ' }, durationMin: 5, reason: 'test' }),
    });
    expect(made.status).toBe(201);
    const silence = (await made.json()) as Silence;
    expect(silence.createdBy).toBe('anonymous');
    const list = (await (await fetch(`${server.url}/api/silences`)).json()) as {
      silences: Silence[];
    };
    expect(list.silences.map((s) => s.id)).toContain(silence.id);
    expect(
      (await fetch(`${server.url}/api/silences/${silence.id}`, { method: 'DELETE' })).status,
    ).toBe(200);
    expect(
      (await fetch(`${server.url}/api/silences/${silence.id}`, { method: 'DELETE' })).status,
    ).toBe(404);
  });

  it('an ack over socket.io reaches a second socket within a second', async () => {
    const target = [...alerts.values()].find((a) => a.state !== 'pending') as Alert;
    expect(target).toBeDefined();
    const other = connect(server.url);
    const snapshot = await new Promise<TrafficSnapshot>((resolve) =>
      other.once('traffic:snapshot', resolve),
    );
    expect(snapshot.alerts.length).toBeGreaterThan(0);
    const seen = new Promise<{ alert: Alert; at: number }>((resolve) => {
      const onUpdate = (u: AlertUpdate) => {
        if (u.type === 'upsert' && u.alert.id === target.id && u.alert.ack) {
          other.off('alert:update', onUpdate);
          resolve({ alert: u.alert, at: Date.now() });
        }
      };
      other.on('alert:update', onUpdate);
    });
    const sent = Date.now();
    const res = await new Promise<AckResult<Alert>>((resolve) =>
      watcher.emit('alert:ack', { id: target.id, note: 'looking' }, resolve),
    );
    expect(res.ok).toBe(true);
    const { alert, at } = await seen;
    expect(at - sent).toBeLessThan(1000);
    expect(alert.ack).toMatchObject({ by: 'anonymous', note: 'looking' });
    // a bad request is refused with a code, never a stack
    const bad = await new Promise<AckResult<Alert>>((resolve) =>
      watcher.emit('alert:ack', { id: 'nope' }, resolve),
    );
    expect(bad).toEqual({ ok: false, error: { code: 'not_found', message: expect.any(String) } });
    other.close();
  });
});
