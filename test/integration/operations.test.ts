import type { ClientToServerEvents, ServerToClientEvents, SourceStatus } from '@surgewatch/shared';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT, waitFor, type RunningServer } from '../harness/server.js';
import { createTopic, uniqueTopic } from '../kafka/topics.js';
import { metric, produce, startKafkaServer } from './surgewatch.js';
import { encodeMessages, makeFlows } from './testFlows.js';

/** Metric families in a Prometheus text scrape (the `# TYPE` lines): name → type. */
function families(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/** Sum of every sample of `name` (all label sets). */
function total(text: string, name: string): number {
  let n = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) {
    n += Number(m[1]);
  }
  return n;
}

/** What operators need from /metrics (docs/operations.md, issue 9). */
const REQUIRED = [
  'surgewatch_kafka_records_total', // records consumed
  'surgewatch_kafka_bytes_total',
  'surgewatch_decode_errors_total', // by reason
  'surgewatch_kafka_dlq_writes_total',
  'surgewatch_kafka_lag_records', // by partition
  'surgewatch_kafka_rebalances_total',
  'surgewatch_aggregate_buckets',
  'surgewatch_process_resident_memory_bytes',
  'surgewatch_nodejs_heap_size_used_bytes',
  'surgewatch_tick_duration_seconds',
  'surgewatch_event_loop_lag_seconds',
  'surgewatch_sockets_connected', // by role
  'surgewatch_socket_emits_total',
  'surgewatch_socket_volatile_dropped_total',
  'surgewatch_alerts', // by state
  'surgewatch_partials_peer_total',
  'surgewatch_partials_available',
];

// One Kafka-fed server, one browser socket: /metrics covers what operations needs and it
// moves; the Grafana dashboard names only metrics that exist; each socket's log lines carry
// its connection id; SIGTERM stops it within 10 s — the records it consumed committed, the
// browser told why before its socket closes.
describe('operations: metrics, dashboard, logs, graceful shutdown', () => {
  const brokers = inject('kafkaBrokers');
  const topic = uniqueTopic('ops');
  const groupId = uniqueTopic('g');
  let server: RunningServer;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  const statuses: SourceStatus[] = [];
  let ticks = 0;

  beforeAll(async () => {
    await createTopic(brokers, topic, 2);
    const set = makeFlows(2_000, Date.now(), 5);
    await produce(brokers, topic, [
      ...encodeMessages('surgewatch', set.flows, 20),
      Buffer.from('this is not a flow record'),
      Buffer.from('{"also": "not a flow"}'),
    ]);
    // a long commit interval: what SIGTERM finds staged is committed by the stop, not a timer
    server = await startKafkaServer({
      brokers,
      topic,
      groupId,
      kafka: { commitIntervalMs: 8_000 },
    });
    socket = io(server.url, { transports: ['websocket'], reconnection: false });
    socket.on('traffic:tick', () => ticks++);
    socket.on('source:status', (s) => statuses.push(s));
    await waitFor(() => socket.connected, 15_000);
    await waitFor(
      async () => (await metric(server.url, 'surgewatch_flows_total')) >= 2_000,
      45_000,
    );
    await waitFor(() => ticks >= 2, 15_000);
  }, 120_000);

  afterAll(async () => {
    socket?.close();
    await server?.stop();
  });

  it('/metrics has every family operators need, and they move', async () => {
    // the buckets gauge is refreshed every 5 s
    await waitFor(
      async () => (await metric(server.url, 'surgewatch_aggregate_buckets')) > 0,
      15_000,
    );
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const have = families(text);
    for (const name of REQUIRED) expect(have.has(name), name).toBe(true);
    expect(total(text, 'surgewatch_kafka_records_total')).toBeGreaterThanOrEqual(2_000);
    expect(total(text, 'surgewatch_kafka_bytes_total')).toBeGreaterThan(0);
    expect(total(text, 'surgewatch_decode_errors_total')).toBeGreaterThanOrEqual(2);
    expect(total(text, 'surgewatch_kafka_dlq_writes_total')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^surgewatch_kafka_lag_records\{partition="[01]"\} \d+$/m);
    expect(total(text, 'surgewatch_kafka_rebalances_total')).toBeGreaterThanOrEqual(1);
    expect(total(text, 'surgewatch_tick_duration_seconds_count')).toBeGreaterThan(0);
    // auth.mode none: everyone is admin
    expect(await metric(server.url, 'surgewatch_sockets_connected', { role: 'admin' })).toBe(1);
    expect(
      await metric(server.url, 'surgewatch_socket_emits_total', { event: 'traffic:tick' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      await metric(server.url, 'surgewatch_socket_emits_total', { event: 'traffic:snapshot' }),
    ).toBeGreaterThanOrEqual(1);
    expect(total(text, 'surgewatch_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(await metric(server.url, 'surgewatch_partials_available')).toBe(1);
  });

  it('the Grafana dashboard is valid JSON and names only metrics a running server exposes', async () => {
    const file = join(ROOT, 'docs/grafana/surgewatch.json');
    const dash = JSON.parse(readFileSync(file, 'utf8')) as {
      panels: { type: string; targets?: { expr: string }[] }[];
    };
    const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(15);
    const have = families(await (await fetch(`${server.url}/metrics`)).text());
    const named = new Set(exprs.flatMap((e) => e.match(/\bsurgewatch_[a-z0-9_]+/g) ?? []));
    const missing = [...named].filter((n) => {
      if (have.has(n)) return false;
      const base = n.replace(/_(bucket|sum|count)$/, '');
      return have.get(base) !== 'histogram';
    });
    expect(missing).toEqual([]);
    // and it covers what REQUIRED lists
    for (const name of REQUIRED) {
      expect(named.has(name) || named.has(`${name}_bucket`), name).toBe(true);
    }
  });

  it('log lines about a socket carry its connection id', () => {
    const id = socket.id as string;
    const lines = server.logs.filter((l) => l.includes(`"conn":"${id}"`));
    expect(lines.some((l) => l.includes('socket connected') && l.includes('"role":"admin"'))).toBe(
      true,
    );
  });

  it('SIGTERM: stops within 10 s, commits what it consumed, tells the browser why', async () => {
    const more = makeFlows(1_000, Date.now(), 6);
    await produce(brokers, topic, encodeMessages('surgewatch', more.flows, 20));
    // consumed and staged (not yet committed: the interval is 8 s)
    await waitFor(
      async () => (await metric(server.url, 'surgewatch_kafka_records_total')) >= 3_000,
      20_000,
      50,
    );
    const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const t0 = Date.now();
    const code = await server.stop();
    const stopMs = Date.now() - t0;
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(10_000);
    expect(await reason).toBe('io server disconnect');
    expect(statuses.at(-1)).toMatchObject({ connected: false });
    expect(statuses.at(-1)?.message).toMatch(/shutting down/);
    expect(server.logs.join('\n')).toContain('"msg":"stopped"');

    // every record consumed is committed: the group resumes at the end of the topic
    const admin = new Kafka({ clientId: 'ops-test', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const at = new Map(committed!.partitions.map((p) => [p.partition, p.offset]));
      for (const e of ends) expect(at.get(e.partition)).toBe(e.high);
    } finally {
      await admin.disconnect();
    }
    console.log(`graceful shutdown took ${stopMs} ms`);
  }, 60_000);
});
