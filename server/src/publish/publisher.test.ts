import type {
  AlertUpdate,
  ServerToClientEvents,
  TrafficPoint,
  TrafficTick,
} from '@surgewatch/shared';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Registry } from 'prom-client';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createAudit, createAuthenticator } from '../auth/index.js';
import { configSchema } from '../config/schema.js';
import { publishMetrics } from '../metrics.js';
import { createPublisher, type AlertFeed } from './publisher.js';

/** One point per second with a recognisable total: the second itself in kb/s. */
function point(t: number): TrafficPoint {
  return { t, total: { bps: t / 1000, pps: 1, fps: 1 }, sources: 1, countries: [] };
}

describe('publisher', () => {
  const stops: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  /** A publisher on an ephemeral port over a view of recognisable points. */
  async function start(alerts?: AlertFeed, ready: () => boolean = () => true) {
    const http: HttpServer = createServer();
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    stops.push(() => new Promise<void>((r) => http.close(() => r())));
    const registry = new Registry();
    const config = configSchema.parse({ auth: { mode: 'none' } });
    // only a snapshot reads the alerts list: this counts the snapshots built
    let built = 0;
    const pub = createPublisher(
      { windowMs: 30_000, tickPoints: 2, maxHttpBufferSize: 1e5, eventsPerSec: 5, corsOrigins: [] },
      {
        httpServer: () => http,
        view: {
          points: (from, to) => {
            const out: TrafficPoint[] = [];
            for (let t = from - (from % 1000); t < to; t += 1000) out.push(point(t));
            return out;
          },
          source: () => ({
            kind: 'demo',
            connected: true,
            lag: 0,
            recordsPerSec: 0,
            decodeErrors: 0,
            lastRecordTs: null,
          }),
          alerts: () => {
            built++;
            return [];
          },
          name: (k) => k,
          top: () =>
            ({
              country: [],
              region: [],
              continent: [],
              asn: [],
              destination: [],
              service: [],
              protocol: [],
              vector: [],
            }) as never,
          ready,
        },
        logger: pino({ level: 'silent' }),
        metrics: publishMetrics(registry),
        now: Date.now,
        auth: createAuthenticator(config.auth, { now: Date.now, sessionSecret: Buffer.alloc(32) }),
        audit: createAudit(pino({ level: 'silent' }), registry),
        ...(alerts ? { alerts } : {}),
      },
    );
    await pub.start();
    stops.push(() => pub.stop());
    const port = (http.address() as AddressInfo).port;
    const client: Socket<ServerToClientEvents> = connect(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
    });
    stops.push(() => void client.close());
    return { pub, registry, client, port, built: () => built };
  }

  /** Another screen on the publisher at `port`, closed after the test. */
  function screen(port: number): Socket<ServerToClientEvents> {
    const c: Socket<ServerToClientEvents> = connect(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      forceNew: true,
    });
    stops.push(() => void c.close());
    return c;
  }

  /** surgewatch_snapshots_total as the registry has it now. */
  async function snapshotsSent(registry: Registry): Promise<number> {
    return Number(/surgewatch_snapshots_total (\d+)/.exec(await registry.metrics())?.[1]);
  }

  it('sends a socket that could not take its ticks every second it missed', async () => {
    const { pub, registry, client } = await start();
    const seen = new Set<number>();
    const ticks: TrafficTick[] = [];
    let snapshots = 0;
    // the first snapshot, then the whole window again once the source is ready
    const resynced = new Promise((r) =>
      client.on('traffic:snapshot', (s) => {
        s.points.forEach((p) => seen.add(p.t));
        if (++snapshots === 2) r(null);
      }),
    );
    client.on('traffic:tick', (t) => {
      ticks.push(t);
      t.points.forEach((p) => seen.add(p.t));
    });
    await resynced;

    // the server-side transport reports itself busy for ~4 ticks: volatile ticks are dropped
    const [server] = await pub.io().fetchSockets();
    const transport = pub.io().sockets.sockets.get(server!.id)!.conn.transport;
    const own = Object.getOwnPropertyDescriptor(transport, 'writable');
    Object.defineProperty(transport, 'writable', { configurable: true, get: () => false });
    const blockedFrom = Math.floor(Date.now() / 1000) * 1000;
    await new Promise((r) => setTimeout(r, 4_200));
    const ticksWhileBlocked = ticks.length;
    // tickPoints is 2: without catching up, the seconds before the last two would be lost
    if (own) Object.defineProperty(transport, 'writable', own);
    else delete (transport as unknown as Record<string, unknown>).writable;
    expect(transport.writable).toBe(true);
    await new Promise((r) => setTimeout(r, 2_500));

    expect(ticks.length).toBeGreaterThan(ticksWhileBlocked);
    const catchUp = ticks[ticksWhileBlocked]!;
    expect(catchUp.points.length).toBeGreaterThanOrEqual(5);
    const newest = Math.max(...seen);
    for (let t = blockedFrom - 2000; t <= newest; t += 1000) expect(seen.has(t)).toBe(true);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/surgewatch_socket_tick_catch_ups_total 1\b/);
    expect(metrics).toMatch(
      /surgewatch_socket_volatile_dropped_total\{event="traffic:tick"\} [3-5]\b/,
    );
  }, 20_000);

  it('still ticks every second when alert updates go out just before each tick', async () => {
    // every second an alert changes: its update (64 KiB, as a firing alert with its
    // explanation can be) is written right before the tick, and must not cost the tick
    let listener: ((u: AlertUpdate) => void) | undefined;
    const alerts: AlertFeed = {
      evaluate: () => listener?.({ type: 'remove', id: 'x'.repeat(65_536) }),
      ack: () => ({ ok: false, error: { code: 'unavailable', message: '' } }),
      silence: () => ({ ok: false, error: { code: 'unavailable', message: '' } }),
      onUpdate: (l) => {
        listener = l;
        return () => (listener = undefined);
      },
    };
    const { registry, client } = await start(alerts);
    const arrivals: number[] = [];
    let updates = 0;
    client.on('alert:update', () => updates++);
    await new Promise((r) => client.once('traffic:snapshot', r));
    client.on('traffic:tick', () => arrivals.push(Date.now()));
    await new Promise((r) => setTimeout(r, 5_300));
    expect(updates).toBeGreaterThanOrEqual(5);
    expect(arrivals.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < arrivals.length; i++) {
      expect(arrivals[i]! - arrivals[i - 1]!).toBeLessThan(1_600);
    }
    expect(await registry.metrics()).not.toMatch(
      /surgewatch_socket_volatile_dropped_total\{event="traffic:tick"\} [1-9]/,
    );
  }, 20_000);

  it("while detection catches up, merges each alert's updates into one a tick, never a change of state", async () => {
    let listener: ((u: AlertUpdate) => void) | undefined;
    let caughtUp = false;
    const alerts: AlertFeed = {
      evaluate: () => undefined,
      ack: () => ({ ok: false, error: { code: 'unavailable', message: '' } }),
      silence: () => ({ ok: false, error: { code: 'unavailable', message: '' } }),
      onUpdate: (l) => {
        listener = l;
        return () => (listener = undefined);
      },
      caughtUp: () => caughtUp,
    };
    const { client } = await start(alerts);
    await new Promise((r) => client.once('traffic:snapshot', r));
    const got: string[] = [];
    client.on('alert:update', (u) =>
      got.push(
        u.type === 'upsert' ? `${u.alert.id}:${u.alert.state}:${u.alert.value}` : `-${u.id}`,
      ),
    );
    const upsert = (id: string, state: string, value: number) =>
      listener?.({ type: 'upsert', alert: { id, state, value } as never });
    // what a replay of many seconds does between two ticks
    for (let v = 0; v < 20; v++) upsert('a', 'pending', v);
    for (let v = 20; v < 31; v++) upsert('a', 'firing', v);
    upsert('a', 'resolved', 31);
    for (let v = 0; v < 5; v++) upsert('b', 'pending', v);
    listener?.({ type: 'remove', id: 'c' });
    await new Promise((r) => setTimeout(r, 1_300));
    expect(got).toEqual(['a:pending:19', 'a:firing:30', 'a:resolved:31', 'b:pending:4', '-c']);
    // caught up: each update goes out at once again
    caughtUp = true;
    got.length = 0;
    upsert('b', 'firing', 5);
    upsert('b', 'firing', 6);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual(['b:firing:5', 'b:firing:6']);
  }, 10_000);

  it('sends every screen the whole window again when the source becomes ready, a slice at a time', async () => {
    let ready = false;
    const { registry, client, port, built } = await start(undefined, () => ready);
    await new Promise((r) => client.once('traffic:snapshot', r));
    const screens = Array.from({ length: 59 }, () => {
      const snapshots: number[] = [];
      screen(port).on('traffic:snapshot', () => snapshots.push(performance.now()));
      return snapshots;
    });
    await new Promise((r) => setTimeout(r, 500));
    const clientSnapshots: number[] = [];
    client.on('traffic:snapshot', () => clientSnapshots.push(performance.now()));
    screens.push(clientSnapshots);
    for (const s of screens.slice(0, 59)) expect(s).toHaveLength(1);
    const builtBefore = built();
    const sentBefore = await snapshotsSent(registry);

    ready = true;
    await new Promise((r) => setTimeout(r, 1_600));
    // 60 sockets, at least 25 a slice: three slices, 100 ms apart, each built once
    const resyncs = screens.map((s) => s.at(-1) as number);
    for (const [i, s] of screens.entries()) expect(s).toHaveLength(i < 59 ? 2 : 1);
    expect(built() - builtBefore).toBe(3);
    expect(Math.max(...resyncs) - Math.min(...resyncs)).toBeGreaterThanOrEqual(150);
    expect(await snapshotsSent(registry)).toBe(sentBefore + 60);
  }, 20_000);

  it('sends screens that connect together one shared snapshot, and nothing before it', async () => {
    // an alert changes every second, so alert updates and ticks go out while they connect
    let listener: ((u: AlertUpdate) => void) | undefined;
    let n = 0;
    const alerts: AlertFeed = {
      evaluate: () => listener?.({ type: 'remove', id: `gone-${n++}` }),
      ack: () => ({ ok: false, error: { code: 'unavailable', message: '' } }),
      silence: () => ({ ok: false, error: { code: 'unavailable', message: '' } }),
      onUpdate: (l) => {
        listener = l;
        return () => (listener = undefined);
      },
    };
    const { registry, client, port, built } = await start(alerts);
    // past the first snapshot and the resync sent everyone once the source is ready
    let first = 0;
    await new Promise((r) => client.on('traffic:snapshot', () => ++first === 2 && r(null)));
    const before = built();
    const snapshotsBefore = await snapshotsSent(registry);
    const screens = Array.from({ length: 50 }, () => {
      const events: string[] = [];
      screen(port).onAny((event: string) => events.push(event));
      return { events };
    });
    // long enough for every screen to connect and see a tick and an alert update after
    await new Promise((r) => setTimeout(r, 2_600));
    for (const { events } of screens) {
      expect(events[0]).toBe('traffic:snapshot');
      expect(events.filter((e) => e === 'traffic:snapshot')).toHaveLength(1);
      expect(events).toContain('traffic:tick');
      expect(events).toContain('alert:update');
    }
    // connections a few ms apart share a snapshot: far fewer built than screens
    expect(built() - before).toBeLessThan(25);
    expect(await snapshotsSent(registry)).toBe(snapshotsBefore + 50);
  }, 20_000);
});
