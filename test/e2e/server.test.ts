import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  TrafficSnapshot,
  TrafficTick,
} from '@surgewatch/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, waitFor, type RunningServer } from '../harness/server.js';

const run = promisify(execFile);

describe('the real server running the demo scenario', () => {
  let server: RunningServer;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;

  beforeAll(async () => {
    server = await startServer({ config: { demo: { seed: 7, backfill: '60s' } } });
    // ready once the demo has generated its history
    await waitFor(async () => (await fetch(`${server.url}/readyz`)).status === 200, 30_000);
  });
  afterAll(async () => {
    socket?.close();
    await server?.stop();
  });

  it('answers health and readiness', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^surgewatch_flows_total \d+/m);
  });

  it('sends a snapshot on connect, then ticks carrying demo traffic by country', async () => {
    socket = io(server.url, { transports: ['websocket'], reconnection: false });
    const snapshot = await new Promise<TrafficSnapshot>((resolve) =>
      socket.once('traffic:snapshot', resolve),
    );
    expect(snapshot.stepMs).toBe(1000);
    expect(snapshot.source.kind).toBe('demo');
    expect(snapshot.source.connected).toBe(true);
    // 60 s of backfill: the last minute of the window has traffic
    const withTraffic = snapshot.points.filter((p) => p.total.bps > 0);
    expect(withTraffic.length).toBeGreaterThanOrEqual(55);
    const ticks: TrafficTick[] = [];
    await new Promise<void>((resolve) => {
      const onTick = (t: TrafficTick) => {
        ticks.push(t);
        if (ticks.length === 3) {
          socket.off('traffic:tick', onTick);
          resolve();
        }
      };
      socket.on('traffic:tick', onTick);
    });
    const newest = ticks.map((t) => t.points.at(-1)!);
    // each tick ends on a later whole second than the one before, and carries consecutive seconds
    expect(newest[1]!.t).toBeGreaterThan(newest[0]!.t);
    expect(newest[2]!.t).toBeGreaterThan(newest[1]!.t);
    for (const tick of ticks) {
      tick.points.forEach((p, i) => {
        expect(p.t % 1000).toBe(0);
        if (i > 0) expect(p.t - tick.points[i - 1]!.t).toBe(1000);
      });
    }
    for (const p of newest) {
      expect(p.total.bps).toBeGreaterThan(0);
      // the countries (top N + other) add up to the total
      const sum = p.countries.reduce((s, c) => s + c.bps, 0);
      expect(sum).toBeCloseTo(p.total.bps, 3);
      // ordinary visitors come mostly from Germany in the demo
      expect(p.countries.map((c) => c.key)).toContain('DE');
    }
    expect(ticks[0]!.names.DE).toBe('Germany');
  });

  it('answers the traffic query with per-country sums that add up to the total', async () => {
    const to = Math.floor(Date.now() / 1000) * 1000 - 2000;
    const res = await fetch(
      `${server.url}/api/traffic?by=country&from=${to - 30_000}&to=${to}&step=10000&top=1000`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      totals: { bytes: number; packets: number; flows: number };
      groups: { key: string; bytes: number; packets: number; flows: number }[];
      times: number[];
    };
    expect(body.times).toHaveLength(3);
    const sum = (k: 'bytes' | 'packets' | 'flows') => body.groups.reduce((s, g) => s + g[k], 0);
    expect(sum('bytes')).toBe(body.totals.bytes);
    expect(sum('packets')).toBe(body.totals.packets);
    expect(sum('flows')).toBe(body.totals.flows);
    expect(body.totals.flows).toBeGreaterThan(0);
  });

  it('groups by every dimension, and answers CSV when asked', async () => {
    const to = Math.floor(Date.now() / 1000) * 1000 - 2000;
    const from = to - 20_000;
    const json = async (by: string) =>
      (await (
        await fetch(`${server.url}/api/traffic?by=${by}&from=${from}&to=${to}&step=10000&top=1000`)
      ).json()) as {
        totals: { bytes: number };
        groups: { key: string; name: string; bytes: number }[];
      };
    const country = await json('country');
    for (const by of [
      'region',
      'continent',
      'asn',
      'destination',
      'service',
      'protocol',
      'vector',
    ]) {
      const r = await json(by);
      expect(r.totals).toEqual(country.totals);
      expect(r.groups.reduce((s, g) => s + g.bytes, 0)).toBe(country.totals.bytes);
    }
    const services = await json('destination');
    expect(services.groups.map((g) => g.key)).toContain('203.0.113.10');
    const res = await fetch(
      `${server.url}/api/traffic?by=protocol&from=${from}&to=${to}&step=10000`,
      {
        headers: { accept: 'text/csv' },
      },
    );
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('time,key,name,bps');
    expect(lines.length).toBeGreaterThan(1);
    // the heaviest protocol first: TCP in calm, UDP while amplification runs
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,(TCP|UDP),(TCP|UDP),[\d.e+]+$/);
  });

  it('rejects a bad query with a clear error and no stack', async () => {
    const res = await fetch(`${server.url}/api/traffic?by=galaxy`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(/by/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js/);
  });
});

describe('a screen that connects while the demo history is still being generated', () => {
  it('gets the whole window again once the source is ready', async () => {
    const server = await startServer({ config: { demo: { seed: 3, backfill: '120s' } } });
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, {
      transports: ['websocket'],
      reconnection: false,
    });
    try {
      const snapshots: TrafficSnapshot[] = [];
      socket.on('traffic:snapshot', (s) => snapshots.push(s));
      await waitFor(() => snapshots.length >= 2, 60_000);
      const full = (s: TrafficSnapshot) => s.points.filter((p) => p.total.bps > 0).length;
      // the first came mid-backfill; the second, sent when the source became ready, has it all
      expect(full(snapshots[1]!)).toBeGreaterThanOrEqual(115);
      expect(full(snapshots[1]!)).toBeGreaterThan(full(snapshots[0]!));
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      socket.close();
      await server.stop();
    }
  });
});

describe('start-up and shutdown', () => {
  it('an invalid config stops the server with every bad key named and a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'surgewatch-cfg-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'server:\n  port: "eighty"\n  colour: blue\nlive:\n  topN: 0\nkafka:\n  brokers: []\n',
    );
    const err = await run(process.execPath, [join(ROOT, 'server/dist/main.js'), '--config', file], {
      env: { PATH: process.env.PATH ?? '', SURGEWATCH_NOPE: '1' },
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err).not.toBeNull();
    expect(err!.code).toBe(78);
    for (const key of [
      'server.port',
      'server.colour: unknown key',
      'live.topN',
      'kafka.brokers',
      'SURGEWATCH_NOPE',
    ]) {
      expect(err!.stderr).toContain(key);
    }
  });

  it('--check validates and exits 0 for a good file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'surgewatch-cfg-'));
    const file = join(dir, 'good.yaml');
    writeFileSync(file, 'server:\n  port: 9999\ndemo:\n  seed: 3\n');
    const out = await run(process.execPath, [
      join(ROOT, 'server/dist/main.js'),
      '--config',
      file,
      '--check',
    ]);
    expect(out.stdout).toContain('is valid');
  });

  it('SIGTERM shuts it down cleanly within seconds', async () => {
    const server = await startServer({ config: { demo: { backfill: '5s' } } });
    const t0 = Date.now();
    const code = await server.stop();
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(server.logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});
