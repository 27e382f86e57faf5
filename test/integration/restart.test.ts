import { afterEach, describe, expect, inject, it } from 'vitest';
import { waitFor, type RunningServer } from '../harness/server.js';
import { createTopic, uniqueTopic } from '../kafka/topics.js';
import {
  byCountry,
  metric,
  produce,
  startKafkaServer,
  trafficByCountry,
  windowFor,
  type TrafficResponse,
} from './surgewatch.js';
import { encodeMessages, makeFlows, type FlowSet } from './testFlows.js';

// The aggregation state lives in Kafka: a server killed with SIGKILL mid-stream, or stopped
// with SIGTERM, comes back with its history from surgewatch.partials and resumes the input
// from the offsets committed in the same transactions — nothing lost, nothing counted twice.
describe('restart with the state in Kafka', () => {
  const brokers = inject('kafkaBrokers');
  const servers: RunningServer[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  const setup = async (n: number) => {
    const topic = uniqueTopic('restart');
    await createTopic(brokers, topic, 3);
    const kafka = {
      partialsTopic: uniqueTopic('partials'),
      // many small transactions: a kill is likely to land in the middle of one
      commitIntervalMs: 200,
    };
    const opts = { brokers, topic, groupId: uniqueTopic('g'), kafka };
    const set = makeFlows(n, Date.now());
    const start = async () => {
      const s = await startKafkaServer(opts);
      servers.push(s);
      return s;
    };
    return { topic, set, start, ...windowFor(set.minStart, set.maxEnd) };
  };

  const exact = (r: TrafficResponse, set: FlowSet): boolean =>
    r.totals.flows === set.total.flows &&
    JSON.stringify([...byCountry(r)].sort()) === JSON.stringify([...set.expected].sort());

  /** Waits for the answer to equal the expected sums; returns ms since `since`. */
  const untilExact = async (url: string, set: FlowSet, from: number, to: number, since: number) => {
    try {
      await waitFor(async () => exact(await trafficByCountry(url, from, to), set), 60_000, 100);
    } catch {
      // say how far off it is
      const r = await trafficByCountry(url, from, to);
      expect(r.totals).toEqual(set.total);
      expect(byCountry(r)).toEqual(set.expected);
    }
    return Date.now() - since;
  };

  it('SIGKILL mid-stream: every sum exact after the restart, the history back in seconds', async () => {
    const t = await setup(20_000);
    const values = encodeMessages('surgewatch', t.set.flows, 1);
    const first = await t.start();
    // the collector keeps producing while the server consumes: 8 slices, 250 ms apart
    const producing = (async () => {
      const slice = Math.ceil(values.length / 8);
      for (let i = 0; i < values.length; i += slice) {
        await produce(brokers, t.topic, values.slice(i, i + slice));
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const killedAt = await waitFor(
      async () => {
        const n = await metric(first.url, 'surgewatch_flows_total');
        return n >= 4_000 ? n : 0;
      },
      30_000,
      20,
    );
    await first.kill();
    expect(killedAt).toBeLessThan(values.length); // really mid-stream
    await producing;

    const since = Date.now();
    const second = await t.start();
    const historyMs = await waitFor(
      async () => (await trafficByCountry(second.url, t.from, t.to)).totals.flows >= killedAt,
      30_000,
      100,
    ).then(() => Date.now() - since);
    const exactMs = await untilExact(second.url, t.set, t.from, t.to, since);
    const r = await trafficByCountry(second.url, t.from, t.to);
    expect(r.totals).toEqual(t.set.total);
    expect(byCountry(r)).toEqual(t.set.expected);
    // what the first process committed came back as partials; the rest was consumed once
    const restored = await metric(second.url, 'surgewatch_flows_restored_total');
    // the view shows a batch before its checkpoint commits; the counter counts it at the commit
    await waitFor(
      async () =>
        restored + (await metric(second.url, 'surgewatch_flows_total')) >= t.set.flows.length,
      10_000,
      100,
    ).catch(() => undefined);
    const consumed = await metric(second.url, 'surgewatch_flows_total');
    expect(restored).toBeGreaterThanOrEqual(killedAt);
    expect(Math.round(restored + consumed)).toBe(t.set.flows.length);
    expect(exactMs).toBeLessThan(30_000);
    console.log(
      `SIGKILL at ${killedAt}/${values.length} flows: history back in ${historyMs} ms, exact in ${exactMs} ms (restored ${restored}, consumed ${consumed})`,
    );
  }, 150_000);

  it('SIGTERM: a plain restart shows the same history and reads nothing again', async () => {
    const t = await setup(5_000);
    await produce(brokers, t.topic, encodeMessages('surgewatch', t.set.flows, 20));
    const first = await t.start();
    await untilExact(first.url, t.set, t.from, t.to, Date.now());
    const before = await trafficByCountry(first.url, t.from, t.to);
    expect(await first.stop()).toBe(0);

    const since = Date.now();
    const second = await t.start();
    const ms = await untilExact(second.url, t.set, t.from, t.to, since);
    const after = await trafficByCountry(second.url, t.from, t.to);
    expect(after.totals).toEqual(before.totals);
    expect(after.groups).toEqual(before.groups);
    expect(await metric(second.url, 'surgewatch_flows_total')).toBe(0);
    expect(await metric(second.url, 'surgewatch_flows_restored_total')).toBe(5_000);
    expect(ms).toBeLessThan(30_000);
    console.log(`SIGTERM restart: history back in ${ms} ms`);
  }, 120_000);
});
