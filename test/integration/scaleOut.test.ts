import type { Alert } from '@surgewatch/shared';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';
import { createTopic, uniqueTopic } from '../kafka/topics.js';
import {
  byCountry,
  metric,
  produce,
  trafficByCountry,
  windowFor,
  type TrafficResponse,
} from './surgewatch.js';
import { encodeMessages, makeFlows, sumInto, type FlowSet, type Sums } from './testFlows.js';

const TARGET = '198.51.100.77';

/** The sums of several flow sets, as one expectation. */
function combined(sets: FlowSet[]): { expected: Map<string, Sums>; total: Sums; flows: number } {
  const expected = new Map<string, Sums>();
  for (const s of sets) sumInto(expected, s.expected);
  const total = { bytes: 0, packets: 0, flows: 0 };
  for (const v of expected.values()) {
    total.bytes += v.bytes;
    total.packets += v.packets;
    total.flows += v.flows;
  }
  return { expected, total, flows: total.flows };
}

const exact = (r: TrafficResponse, want: ReturnType<typeof combined>): boolean =>
  r.totals.flows === want.total.flows &&
  JSON.stringify([...byCountry(r)].sort()) === JSON.stringify([...want.expected].sort());

const alertsOf = async (url: string): Promise<Alert[]> =>
  ((await (await fetch(`${url}/api/alerts`)).json()) as { alerts: Alert[] }).alerts;

// DESIGN.md "State, restarts and scaling out": N instances in one consumer group each
// aggregate their partitions, checkpoint per-second partials to surgewatch.partials in the
// transaction that commits their input offsets, and merge everyone else's partials, so every
// instance shows the same global view — exact while the group rebalances around a crash.
describe('scale-out: three instances, one group, six partitions', () => {
  const brokers = inject('kafkaBrokers');
  const servers: RunningServer[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  /** One instance of the group, with the burst rule on TARGET. */
  const instance = async (shared: Record<string, unknown>, name: string) => {
    const s = await startServer({
      config: {
        source: 'kafka',
        log: { level: 'info' },
        retention: { sealAfter: '10m' },
        kafka: { ...shared, instanceId: name },
        // detection runs 5 s behind the newest second: peers' partials are in by then
        alerting: { delay: '5s' },
        rules: [
          {
            name: 'burst',
            scope: 'destination',
            match: TARGET,
            metric: 'fps',
            when: { above: 20 },
            clearFor: '10m',
          },
        ],
      },
      timeoutMs: 60_000,
    });
    servers.push(s);
    return s;
  };

  /** One deployment's Kafka settings: its own group, partials and alerts topics. */
  const groupConfig = (topic: string) => ({
    brokers,
    topic,
    groupId: uniqueTopic('g'),
    format: 'auto',
    fromBeginning: true,
    partialsTopic: uniqueTopic('partials'),
    alertsTopic: uniqueTopic('alerts'),
    // many small transactions (200 ms): a kill or a join likely finds one under way
    commitIntervalMs: 200,
  });

  it('every instance shows the exact global totals, one alert id, acks shared; a SIGKILL loses and doubles nothing', async () => {
    const topic = uniqueTopic('scale');
    await createTopic(brokers, topic, 6);
    // many small transactions: the kill is likely to find staged, uncommitted records
    const shared = groupConfig(topic);
    const start = (name: string) => instance(shared, name);
    const [a, b, c] = await Promise.all([start('sw-a'), start('sw-b'), start('sw-c')]);
    const all = [a!, b!, c!];
    // the group settles before the data comes, so the timings below measure the steady state
    // and the takeover after the kill; records flowing while members join are the next test's
    await waitFor(async () => {
      const codes = await Promise.all(
        all.map(async (s) => (await fetch(`${s.url}/readyz`)).status),
      );
      return codes.every((c) => c === 200);
    }, 60_000);
    let settled = '';
    let since = Date.now();
    await waitFor(
      async () => {
        const counts = (
          await Promise.all(all.map((s) => metric(s.url, 'surgewatch_kafka_rebalances_total')))
        ).join(',');
        if (counts !== settled) {
          settled = counts;
          since = Date.now();
        }
        return Date.now() - since >= 4_000;
      },
      45_000,
      500,
    );

    const now = Date.now();
    const first = makeFlows(12_000, now, 1);
    // the attack: seconds 10–20 s ahead, so every instance holds all of them before
    // detection reaches them (no instance can see it start a second later than another)
    const made = makeFlows(900, now + 22_000, 2, 3_000);
    const attack: FlowSet = { ...made, flows: made.flows.map((f) => ({ ...f, dst: TARGET })) };
    const producing = (async () => {
      const values = encodeMessages('surgewatch', first.flows, 20);
      const slice = Math.ceil(values.length / 4);
      for (let i = 0; i < values.length; i += slice) {
        await produce(brokers, topic, values.slice(i, i + slice));
      }
      await produce(brokers, topic, encodeMessages('surgewatch', attack.flows, 10));
    })();
    await producing;

    const want1 = combined([first, attack]);
    const { from, to } = windowFor(
      Math.min(first.minStart, attack.minStart),
      Math.max(first.maxEnd, attack.maxEnd) + 60_000,
    );
    const untilExact = async (servers_: RunningServer[], want: ReturnType<typeof combined>) => {
      for (const s of servers_) {
        try {
          await waitFor(async () => exact(await trafficByCountry(s.url, from, to), want), 75_000);
        } catch {
          const r = await trafficByCountry(s.url, from, to);
          expect(r.totals).toEqual(want.total);
          expect(byCountry(r)).toEqual(want.expected);
        }
      }
      const answers = await Promise.all(servers_.map((s) => trafficByCountry(s.url, from, to)));
      for (const r of answers) {
        expect(r.totals).toEqual(want.total);
        expect(byCountry(r)).toEqual(want.expected);
        expect(r.groups).toEqual(answers[0]!.groups);
      }
    };
    const t0 = Date.now();
    await untilExact(all, want1);
    const exactMs = Date.now() - t0;
    // each consumed a share and merged the others' partials
    for (const s of all) {
      const own = await metric(s.url, 'surgewatch_flows_total');
      const peers = await metric(s.url, 'surgewatch_flows_peer_total');
      expect(own).toBeGreaterThan(0);
      expect(Math.round(own + peers)).toBe(want1.flows);
    }

    // the same alert, once, under the same id, on all three
    const fired = await Promise.all(
      all.map((s) =>
        waitFor(async () => {
          const list = (await alertsOf(s.url)).filter((x) => x.rule === 'burst');
          return list.some((x) => x.state === 'firing') ? list : null;
        }, 60_000),
      ),
    );
    for (const list of fired) expect(list.map((x) => x.id)).toEqual([fired[0]![0]!.id]);
    const id = fired[0]![0]!.id;
    // the flow samples travel in the partials and merge exactly: every instance explains the
    // alert with the target's heaviest port, whichever instance read the flows
    for (const list of fired) expect(list[0]!.explanation?.ports?.[0]?.key).toBe('TCP * → 443');

    // acknowledged on one, shown on the others (through surgewatch.alerts)
    const ack = await fetch(`${a!.url}/api/alerts/${encodeURIComponent(id)}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'seen on a' }),
    });
    expect(ack.status).toBe(200);
    for (const s of [b!, c!]) {
      const acked = await waitFor(async () => {
        const x = (await alertsOf(s.url)).find((y) => y.id === id);
        return x?.ack ? x : null;
      }, 20_000);
      expect(acked.ack).toMatchObject({ by: 'anonymous', note: 'seen on a' });
      expect(acked.history?.filter((h) => h.event === 'acknowledged')).toHaveLength(1);
    }

    // a silence made on one applies on the others; ended by hand, it ends everywhere
    const silencesOf = async (url: string): Promise<{ id: string }[]> =>
      ((await (await fetch(`${url}/api/silences`)).json()) as { silences: { id: string }[] })
        .silences;
    const created = await fetch(`${b!.url}/api/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ matchers: { rule: 'burst' }, durationMin: 60, reason: 'drill' }),
    });
    expect(created.status).toBeLessThan(300);
    const silence = ((await created.json()) as { id: string }).id;
    await waitFor(async () => (await silencesOf(c!.url)).some((x) => x.id === silence), 20_000);
    await waitFor(async () => (await silencesOf(a!.url)).some((x) => x.id === silence), 20_000);
    const ended = await fetch(`${b!.url}/api/silences/${encodeURIComponent(silence)}`, {
      method: 'DELETE',
    });
    expect(ended.status).toBe(200);
    await waitFor(async () => !(await silencesOf(c!.url)).some((x) => x.id === silence), 20_000);

    // SIGKILL one instance mid-stream: the others take its partitions over
    const second = makeFlows(12_000, Date.now(), 3);
    const values = encodeMessages('surgewatch', second.flows, 20);
    // ~14 s of production, so the survivors are consuming (with staged, uncommitted records)
    // when the group notices the death (10 s session timeout) and rebalances
    const slice = Math.ceil(values.length / 16);
    const killedAfter = 3 * slice;
    for (let i = 0; i < values.length; i += slice) {
      if (i === killedAfter) await c!.kill();
      await produce(brokers, topic, values.slice(i, i + slice));
      await new Promise((r) => setTimeout(r, 800));
    }
    const t1 = Date.now();
    const want2 = combined([first, attack, second]);
    await untilExact([a!, b!], want2);
    const takeoverMs = Date.now() - t1;
    for (const s of [a!, b!]) {
      expect(await metric(s.url, 'surgewatch_kafka_rebalances_total')).toBeGreaterThanOrEqual(2);
      expect((await alertsOf(s.url)).filter((x) => x.rule === 'burst').map((x) => x.id)).toEqual([
        id,
      ]);
    }
    const revoked = await Promise.all(
      [a!, b!].map((s) => metric(s.url, 'surgewatch_kafka_checkpoints_revoked_total')),
    );
    console.log(
      `scale-out: 3 instances exact in ${exactMs} ms; after the SIGKILL, the 2 others exact in ${takeoverMs} ms (staged checkpoints dropped at rebalances: ${revoked.join(', ')})`,
    );
  }, 240_000);

  it('instances that join while records flow count every record once', async () => {
    const topic = uniqueTopic('joins');
    await createTopic(brokers, topic, 6);
    // many small transactions: each join is likely to find one in flight on the old owner
    const shared = groupConfig(topic);
    const set = makeFlows(9_000, Date.now(), 5);
    const values = encodeMessages('surgewatch', set.flows, 20);
    const slices = 12;
    const slice = Math.ceil(values.length / slices);
    const a = await instance(shared, 'sw-a');
    const all = [a];
    // b and c join (and the group rebalances twice) while a is consuming and committing
    let joining: Promise<void> = Promise.resolve();
    for (let i = 0; i < slices; i++) {
      if (i === 2 || i === 5) {
        const name = i === 2 ? 'sw-b' : 'sw-c';
        joining = joining.then(async () => void all.push(await instance(shared, name)));
      }
      await produce(brokers, topic, values.slice(i * slice, (i + 1) * slice));
      await new Promise((r) => setTimeout(r, 700));
    }
    await joining;
    expect(all).toHaveLength(3);
    // every member has taken its partitions over (the last rebalance is complete) ...
    const takeovers = await waitFor(async () => {
      const n = await Promise.all(
        all.map((s) => metric(s.url, 'surgewatch_kafka_partition_takeovers_total')),
      );
      return n.every((x) => x > 0) ? n : null;
    }, 60_000);
    // ... and the totals are exact on every instance: nothing doubled, nothing lost
    const want = combined([set]);
    const { from, to } = windowFor(set.minStart, set.maxEnd + 60_000);
    for (const s of all) {
      try {
        await waitFor(async () => exact(await trafficByCountry(s.url, from, to), want), 75_000);
      } catch {
        const r = await trafficByCountry(s.url, from, to);
        expect(r.totals).toEqual(want.total);
        expect(byCountry(r)).toEqual(want.expected);
      }
    }
    // each of the six partitions was taken over at least once (by a at its start, the rest
    // as b and c joined), and every member took some
    expect(takeovers.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(6);
    const aborted = await Promise.all(
      all.map((s) => metric(s.url, 'surgewatch_kafka_checkpoints_revoked_total')),
    );
    console.log(
      `joins while flowing: exact on all three (partitions taken over: ${takeovers.join(', ')}; checkpoints dropped or aborted at rebalances: ${aborted.join(', ')})`,
    );
  }, 180_000);

  it('a lone instance keeps working when the partials topic cannot be created', async () => {
    const topic = uniqueTopic('alone');
    await createTopic(brokers, topic, 2);
    const set = makeFlows(3_000, Date.now(), 4);
    await produce(brokers, topic, encodeMessages('surgewatch', set.flows, 20));
    const s = await startServer({
      config: {
        source: 'kafka',
        log: { level: 'info' },
        retention: { sealAfter: '10m' },
        kafka: {
          brokers,
          topic,
          groupId: uniqueTopic('g'),
          fromBeginning: true,
          // not a legal topic name: the broker refuses to create it
          partialsTopic: 'no such/topic',
          alertsTopic: uniqueTopic('alerts'),
        },
      },
      timeoutMs: 60_000,
    });
    servers.push(s);
    const { from, to } = windowFor(set.minStart, set.maxEnd);
    const want = combined([set]);
    await waitFor(async () => exact(await trafficByCountry(s.url, from, to), want), 45_000);
    expect(await metric(s.url, 'surgewatch_partials_available')).toBe(0);
    expect(
      await metric(s.url, 'surgewatch_kafka_transactions_total', { result: 'committed' }),
    ).toBeGreaterThan(0);
    expect(await metric(s.url, 'surgewatch_partials_produced_total')).toBe(0);
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(s.logs.join('\n')).toContain('partials_unavailable');
  }, 120_000);
});
