// Records per second consumed from a real broker: a bare kafkajs consumer that only counts
// (the limit) beside the real surgewatch server process (decode, enrich, aggregate, and one
// checkpoint transaction a second with the partials and the offsets), same broker, same
// topics, same fetch settings, one run. One-record messages and NDJSON messages of 100.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createScenario, encodeSurgewatch } from '@surgewatch/server';
import { Kafka, logLevel } from 'kafkajs';
import { consumerConfig } from '../../server/dist/ingest/kafkaConfig.js';
import { kafkaVersion } from '../kafka/broker.mjs';
import { benchBrokers, listeningPort, quantile, sleep, unique } from './harness.mjs';
import { si } from './machine.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const N = Number(process.env.BENCH_KAFKA_RECORDS ?? 1_000_000);
const PARTITIONS = 3;
const NL = 0x0a;

/** N demo-scenario flows ending in the last minutes (inside the server's retention). */
function flows(now) {
  const sc = createScenario({ seed: 11, loopMs: 360_000, baselineFps: 300 });
  const out = [];
  const start = now - 300_000;
  for (let t = start - (start % 1000); t < now - 1000 && out.length < N; t += 1000)
    out.push(...sc.flowsForSecond(t));
  // a loop holds fewer than N: repeat it (distinct offsets, same shape)
  for (let i = 0; out.length < N; i++) out.push(out[i]);
  return out.slice(0, N);
}

async function produceTopic(kafka, admin, topic, values) {
  await admin.createTopics({
    topics: [{ topic, numPartitions: PARTITIONS }],
    waitForLeaders: true,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    // requests of ≤ 512 KiB: a partition's record batch stays under the broker's 1 MiB limit
    const sends = [];
    let messages = [];
    let bytes = 0;
    const flush = async () => {
      sends.push(producer.send({ topic, acks: 1, messages }));
      messages = [];
      bytes = 0;
      if (sends.length >= 8) await sends.shift();
    };
    for (const value of values) {
      messages.push({ value });
      bytes += value.length;
      if (bytes >= 512 * 1024) await flush();
    }
    if (messages.length) await flush();
    await Promise.all(sends);
  } finally {
    await producer.disconnect();
  }
}

/**
 * A fresh broker creates its internal topics on first use (__consumer_offsets for the first
 * group, __transaction_state for the first transactional id): done once here, so neither
 * side of the comparison pays for it.
 */
async function warmUp(kafka, admin) {
  const topic = unique('bench-warmup');
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer({
    transactionalId: unique('bench-warmup'),
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  // the coordinators of a fresh broker answer "not available" while they load: try again
  for (let attempt = 1; ; attempt++) {
    const txn = await producer.transaction();
    try {
      await txn.send({ topic, messages: [{ value: 'x' }] });
      await txn.sendOffsets({
        consumerGroupId: unique('bench-warmup'),
        topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
      });
      await txn.commit();
      break;
    } catch (err) {
      await txn.abort().catch(() => undefined);
      if (!err.retriable || attempt >= 20) throw err;
      await sleep(500);
    }
  }
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: unique('bench-warmup') });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen;
  const got = new Promise((r) => (seen = r));
  await consumer.run({ eachMessage: async () => seen() });
  await got;
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
}

/** The limit: eachBatch counting messages and NDJSON records, with the server's fetch settings. */
async function bareConsumer(kafka, topic) {
  const cfg = consumerConfig({ groupId: unique('bench-bare'), maxMessageBytes: 1_048_576 });
  const consumer = kafka.consumer(cfg);
  const t0 = performance.now();
  let first = 0;
  let records = 0;
  let done;
  const finished = new Promise((r) => (done = r));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      if (!first) first = performance.now();
      for (const m of batch.messages) {
        const v = m.value;
        let n = 1;
        for (let i = v.indexOf(NL); i >= 0 && i < v.length - 1; i = v.indexOf(NL, i + 1)) n++;
        records += n;
      }
      if (records >= N) done();
    },
  });
  await finished;
  const t1 = performance.now();
  await consumer.disconnect();
  return { totalMs: t1 - t0, startupMs: first - t0, records };
}

async function metrics(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const get = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    decoded: get('surgewatch_kafka_records_total'),
    flows: get('surgewatch_flows_total'),
    transactions: get('surgewatch_kafka_transactions_total\\{result="committed"\\}'),
    partials: get('surgewatch_partials_produced_total'),
    partialBytes: get('surgewatch_partials_produced_bytes_total'),
  };
}

/** The real server process consuming `topic`: start → every record aggregated and committed. */
async function server(brokers, topic, workers) {
  const dir = mkdtempSync(join(tmpdir(), 'surgewatch-bench-'));
  const config = {
    source: 'kafka',
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    // /metrics is read without a credential; everything else keeps the generated token
    auth: { metrics: 'none', stateDir: join(dir, 'state') },
    kafka: {
      brokers,
      topic,
      groupId: unique('bench-sw'),
      partialsTopic: unique('bench-partials'),
      fromBeginning: true,
      // undefined: the default (CPU cores − 1); 0: enrichment and aggregation on the main thread
      ...(workers === undefined ? {} : { workers }),
    },
  };
  writeFileSync(join(dir, 'config.yaml'), JSON.stringify(config));
  const t0 = performance.now();
  const proc = spawn(
    process.execPath,
    [
      // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      join(ROOT, 'server/dist/main.js'),
      '--config',
      join(dir, 'config.yaml'),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const port = await listeningPort(proc, [proc.stdout]);
    const listeningMs = performance.now() - t0;
    const url = `http://127.0.0.1:${port}`;
    let firstMs = 0;
    let decodedMs = 0;
    for (;;) {
      const m = await metrics(url);
      const t = performance.now() - t0;
      if (!firstMs && m.decoded > 0) firstMs = t;
      if (!decodedMs && m.decoded >= N) decodedMs = t;
      if (m.flows >= N)
        return { totalMs: t, startupMs: firstMs || t, listeningMs, decodedMs: decodedMs || t, m };
      if (t > 120_000) throw new Error(`server aggregated ${m.flows} of ${N} records in 120 s`);
      // each scrape costs the server a little (process memory, loop-delay histogram): 10 a
      // second time the end to ±100 ms of runs that last seconds
      await sleep(100);
    }
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ log }) {
  const { brokers, given, stop } = await benchBrokers(log);
  const kafka = new Kafka({ clientId: 'surgewatch-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const rows = [];
  try {
    await warmUp(kafka, admin);
    const all = flows(Date.now());
    const inputs = [
      ['one record per message', 1],
      ['NDJSON, 100 records per message', 100],
    ];
    for (const [name, per] of inputs) {
      const values = [];
      for (let i = 0; i < all.length; i += per)
        values.push(encodeSurgewatch(all.slice(i, i + per)));
      const topic = unique('bench-in');
      const t = performance.now();
      await produceTopic(kafka, admin, topic, values);
      log(
        `${name}: produced ${values.length.toLocaleString('en')} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      const bare = await bareConsumer(kafka, topic);
      log(
        `${name}: bare kafkajs ${si((N / bare.totalMs) * 1000)}/s (start-up ${bare.startupMs.toFixed(0)} ms)`,
      );
      const sw = await server(brokers, topic);
      log(
        `${name}: surgewatch ${si((N / sw.totalMs) * 1000)}/s (first record after ${sw.startupMs.toFixed(0)} ms)`,
      );
      // the same with every stage on the main thread (kafka.workers: 0), for comparison
      const sw0 = await server(brokers, topic, 0);
      log(`${name}: surgewatch without pipeline workers ${si((N / sw0.totalMs) * 1000)}/s`);
      rows.push({ name, messages: values.length, bare, sw, sw0 });
    }
  } finally {
    await admin.disconnect();
    await stop();
  }

  const rate = (ms) => (N / ms) * 1000;
  const steady = (r) => rate(r.totalMs - r.startupMs);
  const md = [
    '| input (messages) | bare kafkajs consumer | surgewatch server | ratio | start-up: bare / surgewatch | steady (after the first record): bare / surgewatch / ratio | surgewatch without workers (`kafka.workers: 0`): overall / steady |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} (${r.messages.toLocaleString('en')}) | ${si(rate(r.bare.totalMs))}/s | **${si(rate(r.sw.totalMs))}/s** | **${(r.bare.totalMs / r.sw.totalMs).toFixed(2)}** | ${r.bare.startupMs.toFixed(0)} ms / ${r.sw.startupMs.toFixed(0)} ms | ${si(steady(r.bare))}/s / ${si(steady(r.sw))}/s / ${(steady(r.sw) / steady(r.bare)).toFixed(2)} | ${si(rate(r.sw0.totalMs))}/s / ${si(steady(r.sw0))}/s |`,
    ),
    '',
    `${N.toLocaleString('en')} surgewatch-format records (demo scenario) on a ${PARTITIONS}-partition topic, ${given ? 'the cluster in KAFKA_BROKERS' : `a local Kafka ${kafkaVersion()} broker started for the run`}. Each rate is records ÷ the time from start to the last record, nothing subtracted: for the bare consumer from \`connect()\` until it has counted every record; for surgewatch from spawning \`node server/dist/main.js\` until \`surgewatch_flows_total\` reaches ${N.toLocaleString('en')}, i.e. every record decoded, enriched, aggregated, checkpointed to \`surgewatch.partials\` with its offsets in a committed transaction (one a second, \`kafka.commitIntervalMs\`) and visible. Start-up is the time to the first record (bare: group join; surgewatch: process start, GeoIP tables, partials topic, restore, group join). Target: surgewatch ≥ 0.85 of the bare consumer.`,
    '',
    ...rows.map(
      (r) =>
        `- ${r.name}: surgewatch listening after ${r.sw.listeningMs.toFixed(0)} ms, every record decoded after ${r.sw.decodedMs.toFixed(0)} ms, committed and visible after ${r.sw.totalMs.toFixed(0)} ms; ${r.sw.m.transactions} checkpoint transactions carried ${r.sw.m.partials} partials, ${(r.sw.m.partialBytes / 2 ** 20).toFixed(1)} MiB of partials before gzip, ${(r.sw.m.partialBytes / N).toFixed(1)} bytes a record (the records span 5 minutes of event time, so each checkpoint re-encodes up to 300 seconds: a backlog being caught up, the expensive case).`,
    ),
  ].join('\n');
  // the freshness run: a live spoofed flood (BENCH_KAFKA_FRESH=0 leaves it out)
  const fresh = process.env.BENCH_KAFKA_FRESH === '0' ? null : await runFresh({ log });
  return {
    title: 'Kafka: records per second, surgewatch beside a bare kafkajs consumer',
    command: 'pnpm bench kafka (test/bench/kafka.mjs)',
    markdown: fresh
      ? `${md}\n\n### ${fresh.title}\n\nCommand: \`${fresh.command}\`\n\n${fresh.markdown}`
      : md,
  };
}

// ---- Fresh under a spoofed flood: produce → visible, and the checkpoints, at 20 k records/s ----

/** Spoofed SYN flood records per second (every one a new random source) and the baseline. */
const FLOOD_FPS = Number(process.env.BENCH_FRESH_FPS ?? 20_000);
const BASE_FPS = 1_000;
const FRESH_SLICE_MS = 100;
const FRESH_WARMUP_S = 10;
const FRESH_S = Number(process.env.BENCH_FRESH_SECONDS ?? 60);

/** `flood` spoofed records and `base` baseline ones ending at `t` (ms); `rnd` gives 32-bit randoms. */
export function freshFlows(t, flood, base, rnd) {
  const out = [];
  for (let i = 0; i < flood; i++) {
    const x = rnd();
    out.push({
      end: t,
      start: t,
      src: `${1 + (x % 223)}.${(x >>> 8) & 255}.${(x >>> 16) & 255}.${(x >>> 24) & 255}`,
      dst: '203.0.113.10',
      sport: 1024 + (x % 60_000),
      dport: 443,
      proto: 6,
      bytes: 6_000,
      packets: 100,
      sampling: 100,
      tcpFlags: 2,
      srcAs: 0,
      dstAs: 0,
      exporter: '',
    });
  }
  for (let i = 0; i < base; i++) {
    const x = rnd();
    out.push({
      end: t,
      start: t - (x % 20_000),
      src: `192.0.2.${x % 200}`,
      dst: `198.51.100.${(x >>> 8) % 50}`,
      sport: 1024 + (x % 50_000),
      dport: [443, 80, 53][x % 3],
      proto: 6,
      bytes: 90_000,
      packets: 100,
      sampling: 100,
      tcpFlags: 0x18,
      srcAs: 0,
      dstAs: 0,
      exporter: '',
    });
  }
  return out;
}

/** The server's counters a freshness run reads. */
async function freshMetrics(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const get = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    flows: get('surgewatch_flows_total'),
    transactions: get('surgewatch_kafka_transactions_total\\{result="committed"\\}'),
    aborted: get('surgewatch_kafka_transactions_total\\{result="aborted"\\}'),
    txnSum: get('surgewatch_kafka_transaction_duration_seconds_sum'),
    txnCount: get('surgewatch_kafka_transaction_duration_seconds_count'),
    partialBytes: get('surgewatch_partials_produced_bytes_total'),
    cpu: get('surgewatch_process_cpu_seconds_total'),
  };
}

/**
 * One server (`dist`: its server/dist folder) reading a live spoofed flood: a producer sends
 * every 100 ms that slice's records (flow end = now); /metrics is scraped 10 times a second.
 * A record's produce → visible time: the first scrape at which `surgewatch_flows_total`
 * covers it (records become visible in the order they were produced, to a scrape's 100 ms).
 * Checkpoints: bytes and duration of each committed transaction, from scrapes between which
 * exactly one committed.
 */
async function freshRun(kafka, admin, brokers, dist, log) {
  const topic = unique('bench-fresh-in');
  await admin.createTopics({
    topics: [{ topic, numPartitions: PARTITIONS }],
    waitForLeaders: true,
  });
  const dir = mkdtempSync(join(tmpdir(), 'surgewatch-bench-fresh-'));
  const config = {
    source: 'kafka',
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    auth: { mode: 'none', metrics: 'none', stateDir: join(dir, 'state') },
    kafka: {
      brokers,
      topic,
      groupId: unique('bench-fresh'),
      partialsTopic: unique('bench-fresh-partials'),
      alertsTopic: unique('bench-fresh-alerts'),
      fromBeginning: false,
    },
  };
  writeFileSync(join(dir, 'config.yaml'), JSON.stringify(config));
  const proc = spawn(
    process.execPath,
    [join(ROOT, dist, 'main.js'), '--config', join(dir, 'config.yaml')],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  let stop = false;
  try {
    const port = await listeningPort(proc, [proc.stdout]);
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      const res = await fetch(`${url}/readyz`).catch(() => null);
      if (res?.status === 200) break;
      await sleep(200);
    }
    await producer.connect();
    let x = 0x9e3779b9;
    const rnd = () => (x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0);
    /** [time a slice was handed to the producer, records produced up to and with it]. */
    const produced = [];
    let total = 0;
    const t0 = Date.now();
    const produceLoop = (async () => {
      let next = Date.now();
      while (!stop) {
        next += FRESH_SLICE_MS;
        await sleep(Math.max(0, next - Date.now()));
        const t = Date.now();
        const batch = freshFlows(t, FLOOD_FPS / 10, BASE_FPS / 10, rnd);
        const messages = [];
        for (let i = 0; i < batch.length; i += 100)
          messages.push({ value: encodeSurgewatch(batch.slice(i, i + 100)) });
        total += batch.length;
        produced.push([t, total]);
        await producer.send({ topic, acks: 1, messages });
      }
    })();
    const scrapes = [];
    /** Flow records the live view holds for seconds since the run began (what a screen sees). */
    const visible = async () => {
      const q = `by=protocol&metric=fps&top=1&step=60000&from=${t0 - 60_000}&to=${Date.now() + 60_000}`;
      const r = await (await fetch(`${url}/api/traffic?${q}`)).json();
      return r.totals.flows;
    };
    while (Date.now() - t0 < (FRESH_WARMUP_S + FRESH_S) * 1000) {
      await sleep(100 - (Date.now() % 100));
      const [m, flows] = await Promise.all([freshMetrics(url), visible()]);
      scrapes.push({ at: Date.now(), ...m, flows });
    }
    stop = true;
    await produceLoop;
    // produce → visible per record, for records produced after the warm-up
    const from = t0 + FRESH_WARMUP_S * 1000;
    const lat = [];
    let si = 0;
    let before = 0;
    for (const [t, upTo] of produced) {
      const first = before;
      before = upTo;
      if (t < from) continue;
      while (si < scrapes.length && scrapes[si].flows < upTo) si++;
      if (si >= scrapes.length) break;
      // every record of this slice counts once, weighted by the slice's size
      lat.push([scrapes[si].at - t, upTo - first]);
    }
    lat.sort((a, b) => a[0] - b[0]);
    const weighted = (q) => {
      const n = lat.reduce((s, [, w]) => s + w, 0);
      let acc = 0;
      for (const [ms, w] of lat) if ((acc += w) >= q * n) return ms;
      return NaN;
    };
    const txns = [];
    const bytes = [];
    for (let i = 1; i < scrapes.length; i++) {
      const a = scrapes[i - 1];
      const b = scrapes[i];
      if (a.at < from) continue;
      if (b.transactions - a.transactions === 1 && b.txnCount - a.txnCount === 1) {
        txns.push((b.txnSum - a.txnSum) * 1000);
        bytes.push(b.partialBytes - a.partialBytes);
      }
    }
    txns.sort((a, b) => a - b);
    bytes.sort((a, b) => a - b);
    const last = scrapes.at(-1);
    // partial bytes per record committed over the measured time
    const first = scrapes.find((x) => x.at >= from) ?? last;
    const perRecord = (last.partialBytes - first.partialBytes) / (last.flows - first.flows);
    // the server's CPU (all its threads) over the measured time: less at the mercy of what
    // else runs on the machine than the times are
    const cores = (last.cpu - first.cpu) / ((last.at - first.at) / 1000);
    const r = {
      dist,
      records: total,
      visibleP50: weighted(0.5),
      visibleP99: weighted(0.99),
      visibleMax: lat.at(-1)?.[0] ?? NaN,
      txnP50: quantile(txns, 0.5),
      txnP99: quantile(txns, 0.99),
      txnN: txns.length,
      bytesP50: quantile(bytes, 0.5),
      bytesP99: quantile(bytes, 0.99),
      perRecord,
      cores,
      committed: last.transactions,
      aborted: last.aborted,
      lagEnd: total - last.flows,
    };
    log(
      `${dist}: produce → visible p50 ${r.visibleP50} ms, p99 ${r.visibleP99} ms (max ${r.visibleMax}); checkpoint p50 ${r.txnP50?.toFixed(0)} ms, p99 ${r.txnP99?.toFixed(0)} ms (${r.txnN} measured), ${(r.bytesP50 / 2 ** 20).toFixed(2)} / ${(r.bytesP99 / 2 ** 20).toFixed(2)} MiB, ${r.perRecord.toFixed(1)} bytes a record; server CPU ${r.cores.toFixed(2)} cores; ${r.lagEnd} records not visible at the end`,
    );
    return r;
  } finally {
    stop = true;
    await producer.disconnect().catch(() => undefined);
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The freshness benchmark: each server build in BENCH_FRESH_DISTS (comma-separated folders
 * with main.js, default server/dist) in turn, against the same broker.
 */
export async function runFresh({ log }) {
  const { brokers, given, stop } = await benchBrokers(log);
  const kafka = new Kafka({ clientId: 'surgewatch-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const rows = [];
  try {
    await warmUp(kafka, admin);
    const dists = (process.env.BENCH_FRESH_DISTS ?? 'server/dist').split(',');
    for (const dist of dists) rows.push(await freshRun(kafka, admin, brokers, dist, log));
  } finally {
    await admin.disconnect();
    await stop();
  }
  const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
  const mib = (v) => (Number.isFinite(v) ? `${(v / 2 ** 20).toFixed(2)} MiB` : 'n/a');
  const md = [
    '| server build | produce → visible p50 / p99 / max | checkpoint transaction p50 / p99 | partials per checkpoint p50 / p99 (before gzip) | partial bytes a record | server CPU | committed / aborted | not visible at the end |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| \`${r.dist}\` | ${ms(r.visibleP50)} / **${ms(r.visibleP99)}** / ${ms(r.visibleMax)} | ${ms(r.txnP50)} / **${ms(r.txnP99)}** | ${mib(r.bytesP50)} / ${mib(r.bytesP99)} | ${Number.isFinite(r.perRecord) ? r.perRecord.toFixed(1) : 'n/a'} | ${r.cores.toFixed(2)} cores | ${r.committed} / ${r.aborted} | ${r.lagEnd.toLocaleString('en')} |`,
    ),
    '',
    `A spoofed SYN flood of ${FLOOD_FPS.toLocaleString('en')} flow records/s (every record a new random source address) plus a baseline of ${BASE_FPS.toLocaleString('en')} records/s, produced live (every ${FRESH_SLICE_MS} ms that slice's records, NDJSON of 100, flow end = now) to a ${PARTITIONS}-partition topic on ${given ? 'the cluster in KAFKA_BROKERS' : `a local Kafka ${kafkaVersion()} broker`}; the real server (default settings: \`kafka.commitIntervalMs\` 1 s, pipeline workers = cores − 1) reads it. ${FRESH_S} s measured after ${FRESH_WARMUP_S} s of warm-up. Produce → visible: per record, from its slice's send to the first read of the live view (\`GET /api/traffic\`, 10 a second, flow records of every second since the run began) that covers it (detection reads the same aggregate). Checkpoints: duration (\`surgewatch_kafka_transaction_duration_seconds\`: produce, send the offsets, commit) and uncompressed partial bytes of each committed transaction, from the scrapes between which exactly one committed; bytes a record: all partial bytes committed while measuring over the records they made visible; server CPU: \`surgewatch_process_cpu_seconds_total\` (every thread) over the measured time.`,
  ].join('\n');
  return {
    title: 'Kafka: fresh under a spoofed flood (produce → visible, checkpoint size and time)',
    command:
      'pnpm bench kafka (test/bench/kafka.mjs; alone: pnpm build && node test/bench/kafka.mjs fresh)',
    markdown: md,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runFresh({ log: (s) => console.log(`   ${s}`) });
  console.log(`## ${r.title}\n\nCommand: \`${r.command}\`\n\n${r.markdown}\n`);
}
