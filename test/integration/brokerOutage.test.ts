import type { ServerToClientEvents, SourceStatus } from '@surgewatch/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor, type RunningServer } from '../harness/server.js';
import { startBroker, type RunningBroker, type StartBrokerOptions } from '../kafka/broker.mjs';
import { freePort } from '../kafka/ports.js';
import { createTopic, uniqueTopic } from '../kafka/topics.js';
import { byCountry, produce, startKafkaServer, trafficByCountry, windowFor } from './surgewatch.js';
import { encodeMessages, makeFlows, sumInto, type FlowSet, type Sums } from './testFlows.js';

// The broker goes away under a running server and comes back: the server keeps serving, says
// "disconnected" on source:status within seconds, reconnects by itself and catches up —
// nothing lost, nothing counted twice. This test owns its broker, so it can stop it.
describe('broker outage', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'surgewatch-outage-'));
  let brokerOpts: StartBrokerOptions;
  let broker: RunningBroker | undefined;
  let server: RunningServer | undefined;
  let socket: Socket<ServerToClientEvents> | undefined;

  afterAll(async () => {
    socket?.close();
    await server?.stop();
    await broker?.stop({ timeoutMs: 5_000 });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the outage, reconnects and catches up with exact sums', async () => {
    brokerOpts = { port: await freePort(), controllerPort: await freePort(), dataDir };
    broker = await startBroker(brokerOpts);
    const brokers = broker.brokers;
    const topic = uniqueTopic('outage');
    await createTopic(brokers, topic, 2);

    // each set is stamped when it is produced: the third arrives ~30 s after the first
    const sets: FlowSet[] = [];
    const stamp = (salt: number): FlowSet => {
      const s = makeFlows(200, Date.now(), salt, 5_000);
      sets.push(s);
      return s;
    };
    const start = Date.now();
    const flowsSoFar = async (url: string) =>
      (await trafficByCountry(url, ...range())).totals.flows;
    const range = (): [number, number] => {
      const w = windowFor(start - 20_000, Date.now());
      return [w.from, w.to];
    };

    await produce(brokers, topic, encodeMessages('surgewatch', stamp(1).flows, 10));
    server = await startKafkaServer({ brokers, topic, groupId: uniqueTopic('g') });
    const url = server.url;
    await waitFor(async () => (await flowsSoFar(url)) === 200, 30_000);

    const statuses: SourceStatus[] = [];
    socket = io(url, { transports: ['websocket'] });
    socket.on('source:status', (s) => statuses.push(s));
    socket.on('traffic:snapshot', (snap) => statuses.push(snap.source));
    await waitFor(() => statuses.some((s) => s.kind === 'kafka' && s.connected), 15_000);

    // the second set may or may not be consumed before the broker goes: either way it counts once
    await produce(brokers, topic, encodeMessages('surgewatch', stamp(2).flows, 10));
    const mark = statuses.length;
    await broker.stop();
    const stoppedAt = Date.now();
    // the first word may come from the consumer dropping; within seconds it names the broker
    const down = await waitFor(
      () =>
        statuses
          .slice(mark)
          .find((s) => !s.connected && /unreachable|127\.0\.0\.1/.test(s.message ?? '')),
      20_000,
    );
    const detectMs = Date.now() - stoppedAt;
    expect(down.kind).toBe('kafka');
    expect(detectMs).toBeLessThan(15_000);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);

    broker = await startBroker(brokerOpts);
    await produce(brokers, topic, encodeMessages('surgewatch', stamp(3).flows, 10));
    await waitFor(async () => (await flowsSoFar(url)) >= 600, 90_000, 500);
    const upAgain = await waitFor(() => {
      const last = statuses[statuses.length - 1];
      return last?.connected ? last : null;
    }, 30_000);
    expect(upAgain.kind).toBe('kafka');

    const expected = new Map<string, Sums>();
    for (const s of sets) sumInto(expected, s.expected);
    const r = await trafficByCountry(url, ...range());
    expect(r.totals.flows).toBe(600);
    expect(byCountry(r)).toEqual(expected);
  });
});
