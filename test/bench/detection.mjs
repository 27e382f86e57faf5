// Detection latency, end to end through Kafka: a producer writes steady traffic to the input
// topic in 100 ms slices (flow end time = the moment it is produced), then floods; the real
// server (node server/dist/main.js, Kafka source, checkpoint transactions, a `for: 0` static
// rule) consumes it; a socket.io client measures when the alert's first `alert:update` with
// state firing arrives. Latency = arrival − the start of the first second whose traffic
// exceeds the threshold (the alert's first bucket, `startedAt`); also reported from the
// flood's first record. BENCH_FLOODS floods (default 20), each at a random point of a second.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeSurgewatch } from '@surgewatch/server';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { io } from 'socket.io-client';
import { kafkaVersion } from '../kafka/broker.mjs';
import { benchBrokers, listeningPort, quantile, sleep, unique } from './harness.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FLOODS = Number(process.env.BENCH_FLOODS ?? 20);
const PARTITIONS = 2;
/** Producer slice: every 100 ms the flows of the last 100 ms go out, as a collector would. */
const SLICE_MS = 100;
/** Normal traffic and the flood, flow records per second (each 1,000 packets). */
const CALM_FPS = 100;
const FLOOD_FPS = 1_000;
const PACKETS = 1_000;
/** The rule: 300 k pps; calm is 100 k pps, the flood 1.1 M pps. */
const THRESHOLD_PPS = 300_000;
const FLOOD_MS = 3_000;
/** `kafka.commitIntervalMs`: the server's default unless BENCH_COMMIT_MS says otherwise. */
const COMMIT_MS = Number(process.env.BENCH_COMMIT_MS ?? 1_000);

/** `n` flows ending at `t` (ms epoch); flood flows come from many sources in one network. */
function flows(n, t, flood, seq) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const k = seq + i;
    out.push({
      start: t,
      end: t,
      src: flood ? `198.51.100.${k % 250}` : `192.0.2.${k % 250}`,
      dst: '203.0.113.10',
      sport: flood ? 53 : 1024 + (k % 50_000),
      dport: flood ? 1024 + (k % 50_000) : 443,
      proto: flood ? 17 : 6,
      bytes: PACKETS * 500,
      packets: PACKETS,
      sampling: 1,
      tcpFlags: flood ? 0 : 0x18,
      srcAs: 0,
      dstAs: 0,
      exporter: '',
    });
  }
  return out;
}

async function startServer(brokers, topic, dir) {
  const config = {
    source: 'kafka',
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    auth: { mode: 'none', metrics: 'none', stateDir: join(dir, 'state') },
    kafka: {
      brokers,
      topic,
      groupId: unique('bench-det'),
      partialsTopic: unique('bench-det-partials'),
      alertsTopic: unique('bench-det-alerts'),
      fromBeginning: false,
      commitIntervalMs: COMMIT_MS,
    },
    // a flood that ends resolves within seconds and the next is a new alert
    alerting: { refireGrace: 0, updateEvery: '60s' },
    rules: [
      {
        name: 'flood',
        metric: 'pps',
        when: { above: THRESHOLD_PPS },
        for: 0,
        clearFor: '2s',
        severity: 'critical',
      },
    ],
  };
  writeFileSync(join(dir, 'config.yaml'), JSON.stringify(config));
  const proc = spawn(
    process.execPath,
    [join(ROOT, 'server/dist/main.js'), '--config', join(dir, 'config.yaml')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await listeningPort(proc, [proc.stdout]);
  return { proc, url: `http://127.0.0.1:${port}` };
}

export async function run({ log }) {
  const { brokers, given, stop: stopBrokers } = await benchBrokers(log);
  const kafka = new Kafka({ clientId: 'surgewatch-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const dir = mkdtempSync(join(tmpdir(), 'surgewatch-bench-det-'));
  let server;
  let socket;
  let stop = false;
  const results = [];
  let falseAlarms = 0;
  try {
    await admin.connect();
    const topic = unique('bench-det-in');
    await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS }],
      waitForLeaders: true,
    });
    await producer.connect();

    // the producer: one send per 100 ms slice, flooding while `floodUntil` lies ahead
    let floodUntil = 0;
    let seq = 0;
    let sends = 0;
    const produceLoop = (async () => {
      let next = Date.now();
      while (!stop) {
        next += SLICE_MS;
        await sleep(Math.max(0, next - Date.now()));
        const t = Date.now();
        const flood = t < floodUntil;
        const n = Math.round((((flood ? FLOOD_FPS : 0) + CALM_FPS) * SLICE_MS) / 1000);
        const batch = [
          ...flows(CALM_FPS / 10, t, false, seq),
          ...flows(n - CALM_FPS / 10, t, true, seq),
        ];
        seq += n;
        // NDJSON of 100 records per message, spread over the partitions
        const messages = [];
        for (let i = 0; i < batch.length; i += 100)
          messages.push({ key: String(i / 100), value: encodeSurgewatch(batch.slice(i, i + 100)) });
        await producer.send({ topic, acks: 1, messages });
        sends++;
      }
    })();

    server = await startServer(brokers, topic, dir);
    log(`server up at ${server.url}`);
    for (;;) {
      const res = await fetch(`${server.url}/readyz`).catch(() => null);
      if (res?.status === 200) break;
      await sleep(200);
    }
    socket = io(server.url, { transports: ['websocket'], reconnection: false });
    await new Promise((r, j) => {
      socket.once('connect', r);
      socket.once('connect_error', j);
    });
    let flood = null;
    const seen = new Set();
    let resolved = null;
    socket.on('alert:update', (u) => {
      const at = Date.now();
      if (u.type !== 'upsert' || u.alert.rule !== 'flood') return;
      const a = u.alert;
      if (process.env.BENCH_VERBOSE)
        log(
          `  ${at % 100_000} ${a.id} ${a.state} started ${a.startedAt % 100_000} value ${a.value}`,
        );
      if (a.state === 'firing' && !seen.has(a.id)) {
        seen.add(a.id);
        if (!flood || flood.got || a.startedAt < flood.start - 1000) {
          falseAlarms++;
          return;
        }
        flood.got = { at, startedAt: a.startedAt };
      }
      if (a.state === 'resolved') resolved?.();
    });
    // calm traffic for a while: detection running, nothing firing
    await sleep(5_000);

    for (let i = 0; i < FLOODS; i++) {
      // start at a random point of a second
      await sleep(1000 - (Date.now() % 1000) + Math.floor(Math.random() * 1000));
      const start = Date.now();
      flood = { start, got: null };
      floodUntil = start + FLOOD_MS;
      const wait = Date.now() + 15_000;
      while (!flood.got && Date.now() < wait) await sleep(20);
      if (!flood.got) {
        log(`flood ${i + 1}: no alert within 15 s`);
        results.push({ fromSecond: Infinity, fromFlood: Infinity });
      } else {
        const r = {
          fromSecond: flood.got.at - flood.got.startedAt,
          fromFlood: flood.got.at - start,
          phase: start % 1000,
        };
        results.push(r);
        log(
          `flood ${i + 1}: began ${r.phase} ms into its second; firing after ${r.fromSecond} ms from that second, ${r.fromFlood} ms from the flood`,
        );
      }
      // wait for the flood's end and the alert's resolution before the next
      await Promise.race([new Promise((r) => (resolved = r)), sleep(15_000)]);
      resolved = null;
      while (Date.now() < floodUntil) await sleep(50);
    }
    stop = true;
    await produceLoop;
    log(`${sends} producer sends`);
  } finally {
    stop = true;
    socket?.close();
    if (server) {
      server.proc.kill('SIGTERM');
      await new Promise((r) => (server.proc.exitCode !== null ? r() : server.proc.once('exit', r)));
    }
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await stopBrokers();
  }

  const sec = results.map((r) => r.fromSecond).sort((a, b) => a - b);
  const fl = results.map((r) => r.fromFlood).sort((a, b) => a - b);
  const fmt = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'missed');
  const md = [
    '| measured from | p50 | p99 | max | floods |',
    '|---|---:|---:|---:|---:|',
    `| the start of the first second over the threshold (the alert's \`startedAt\`) | **${fmt(quantile(sec, 0.5))}** | **${fmt(quantile(sec, 0.99))}** | ${fmt(sec.at(-1))} | ${results.length} |`,
    `| the flood's first record | ${fmt(quantile(fl, 0.5))} | ${fmt(quantile(fl, 0.99))} | ${fmt(fl.at(-1))} | ${results.length} |`,
    '',
    `False alarms (a firing alert outside a flood): ${falseAlarms}. ${given ? 'The cluster in KAFKA_BROKERS' : `A local Kafka ${kafkaVersion()} broker started for the run`}, a ${PARTITIONS}-partition input topic; the real server process with \`kafka.commitIntervalMs\` ${COMMIT_MS} ms, \`alerting.delay\` 0 and one rule, \`pps above ${THRESHOLD_PPS.toLocaleString('en')}, for: 0\`. The producer sends every ${SLICE_MS} ms the flows of that slice (ends stamped when sent), ${(CALM_FPS * PACKETS).toLocaleString('en')} pps calm, ${((CALM_FPS + FLOOD_FPS) * PACKETS).toLocaleString('en')} pps during a ${FLOOD_MS / 1000} s flood that begins at a random point of a second. Latency is the arrival of the first \`alert:update\` with state firing at a socket.io client on the same machine. With \`n\` = ${results.length} floods, p99 is the largest.`,
  ].join('\n');
  return {
    title: 'Detection latency: flood to alert, end to end through Kafka',
    command: 'pnpm bench detection (test/bench/detection.mjs)',
    markdown: md,
  };
}
