// Load harness (not part of `pnpm test`): `pnpm bench load`.
//
// One real surgewatch server consuming a Kafka topic that flowgen feeds at LOAD_RATE flow
// records/s (goflow2 JSON, one record per message, as goflow2 writes them), with LOAD_CLIENTS
// socket.io clients (websocket, as the wallboard) connected and receiving the 1 Hz ticks.
// Reported: tick delivery delay (client receive time − the server's `now` in the tick: same
// machine, same clock), ticks lost, records/s produced and consumed, the lag left, server CPU
// and RSS (from its /metrics). Everything on loopback, bounded in count and time.
//
//   LOAD_CLIENTS=1000 LOAD_RATE=100000 LOAD_SECONDS=20 pnpm bench load
//   KAFKA_BROKERS=127.0.0.1:9092 uses that broker instead of starting one
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { io } from 'socket.io-client';
import { machine, si } from '../bench/machine.mjs';
import {
  benchBrokers,
  listeningPort,
  quantile,
  sleep,
  steadyRates,
  threadCores,
  threadCpu,
  unique,
} from '../bench/harness.mjs';
import { defaultWorkerCount } from '../../server/dist/pipelineWorkers.js';
import { kafkaVersion } from '../kafka/broker.mjs';
import * as lightParser from './lightParser.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLIENTS = Math.min(5_000, Number(process.env.LOAD_CLIENTS ?? 1_000));
/**
 * One scenario each (a fresh topic, server and clients): flowgen's target in records/s while
 * measuring (0 = as fast as flowgen can), or `backlog`: LOAD_BACKLOG records produced before
 * the server starts, which it then consumes as fast as it can with the clients attached — the
 * server's own ingest ceiling, which a flowgen sharing the machine cannot reach. Default: an
 * ordinary rate (tick delivery), the ingest target, and the backlog — with the default
 * pipeline workers, and with `backlog:0` none (`kafka.workers: 0`), for comparison.
 */
const RATES = (process.env.LOAD_RATE ?? '5000,100000,backlog,backlog:0').split(',');
const BACKLOG = Number(process.env.LOAD_BACKLOG ?? 4_000_000);
const SECONDS = Math.min(300, Number(process.env.LOAD_SECONDS ?? 20));
const WARM_S = 5;
/** Seconds a backlog row's ticks are measured after all of it is visible (the catch-up resync). */
const TAIL_S = 4;
const PARTITIONS = 3;

async function scrape(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = (name) => {
    let n = 0;
    for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm')))
      n += Number(m[1]);
    return n;
  };
  return {
    cpu: sum('surgewatch_process_cpu_seconds_total'),
    rss: sum('surgewatch_process_resident_memory_bytes'),
    records: sum('surgewatch_kafka_records_total'),
    flows: sum('surgewatch_flows_total'),
    lag: sum('surgewatch_kafka_lag_records'),
    dropped: sum('surgewatch_socket_volatile_dropped_total'),
    sockets: sum('surgewatch_sockets_connected'),
    loopLag: sum('surgewatch_event_loop_lag_seconds'),
    ticks: sum('surgewatch_ticks_total'),
    pauses: sum('surgewatch_kafka_pauses_total'),
    transactions: sum('surgewatch_kafka_transactions_total\\{result="committed"\\}'),
    probes: sum('surgewatch_event_loop_delay_seconds_count'),
    probesBelow250: sum('surgewatch_event_loop_delay_seconds_bucket\\{le="0.25"\\}'),
    partials: sum('surgewatch_partials_produced_total'),
    partialBytes: sum('surgewatch_partials_produced_bytes_total'),
  };
}

function startSurgewatch(brokers, topic, dir, workers) {
  const config = {
    source: 'kafka',
    // info: the "listening" line names the port
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    auth: { mode: 'none' },
    kafka: {
      brokers,
      topic,
      groupId: unique('load-sw'),
      partialsTopic: unique('load-partials'),
      alertsTopic: unique('load-alerts'),
      format: 'goflow2-json',
      // a backlog produced before the start is read from its beginning
      fromBeginning: true,
      ...(workers === undefined ? {} : { workers }),
    },
  };
  writeFileSync(join(dir, 'config.yaml'), JSON.stringify(config));
  const proc = spawn(
    process.execPath,
    [
      // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      join(ROOT, 'server/dist/main.js'),
      '--config',
      join(dir, 'config.yaml'),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = listeningPort(proc, [proc.stdout, proc.stderr]);
  // e.g. BENCH_SERVER_LOG=/tmp/server.log with BENCH_SERVER_NODE_ARGS=--trace-gc
  if (process.env.BENCH_SERVER_LOG) {
    const log = createWriteStream(process.env.BENCH_SERVER_LOG, { flags: 'a' });
    for (const s of [proc.stdout, proc.stderr]) s.on('data', (c) => log.write(c));
    proc.once('exit', () => log.end());
  }
  return { proc, port };
}

function startFlowgen(brokers, topic, { seconds, rate, count, seed = 1 }) {
  const proc = spawn(
    process.execPath,
    [
      join(ROOT, 'server/dist/flowgen.js'),
      '--brokers',
      brokers.join(','),
      '--topic',
      topic,
      '--format',
      'goflow2-json',
      '--rate',
      String(rate),
      ...(count ? ['--count', String(count)] : ['--duration', String(seconds)]),
      '--seed',
      String(seed),
      '--json',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (c) => (out += c));
  const done = new Promise((resolve) =>
    proc.once('exit', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)));
      } catch {
        resolve(null);
      }
    }),
  );
  return { proc, done };
}

/** Connects `n` independent sockets, 50 at a time; each records its tick delays and snapshots. */
async function connectClients(url, n, onTick, onSnapshot) {
  const sockets = [];
  for (let i = 0; i < n; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(n, i + 50); j++) {
      const s = io(url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        parser: lightParser,
      });
      s.on('traffic:tick', (tick) => onTick(j, tick.receivedAt - tick.now, tick.now));
      s.on('traffic:snapshot', (snap) => onSnapshot(snap.bytes));
      sockets.push(s);
      batch.push(
        new Promise((resolve, reject) => {
          s.once('connect', resolve);
          s.once('connect_error', reject);
        }),
      );
    }
    await Promise.all(batch);
  }
  return sockets;
}

export async function run({ log }) {
  const dir = mkdtempSync(join(tmpdir(), 'surgewatch-load-'));
  const { brokers, given, stop: stopBrokers } = await benchBrokers(log);
  let server;
  let flowgen;
  let sockets = [];
  // an interrupted harness leaves no server or flowgen behind
  const killChildren = () => {
    flowgen?.proc.kill('SIGKILL');
    server?.proc.kill('SIGKILL');
  };
  process.once('exit', killChildren);
  const stopServer = async () => {
    for (const s of sockets) s.close();
    sockets = [];
    flowgen?.proc.kill('SIGINT');
    const sv = server;
    server = undefined;
    if (sv) {
      sv.proc.kill('SIGTERM');
      await new Promise((res) => (sv.proc.exitCode !== null ? res() : sv.proc.once('exit', res)));
    }
  };

  const scenario = async (spec) => {
    const [kind, workersArg] = spec.split(':');
    const backlog = kind === 'backlog' ? BACKLOG : 0;
    const workers = workersArg === undefined ? undefined : Number(workersArg);
    const rate = backlog ? 0 : Number(spec);
    const topic = unique('load-flows');
    const admin = new Kafka({
      clientId: 'surgewatch-load',
      brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    let produced = null;
    if (backlog) {
      log(
        `producing a backlog of ${backlog.toLocaleString('en')} records before the server starts`,
      );
      // two flowgen processes, a core each: one alone makes goflow2 JSON at ~30 k records/s
      const started = performance.now();
      const halves = await Promise.all(
        [1, 2].map(
          (seed) => startFlowgen(brokers, topic, { rate: 0, count: backlog / 2, seed }).done,
        ),
      );
      const records = halves.reduce((n, h) => n + (h?.records ?? 0), 0);
      produced = { records, recordsPerSec: records / ((performance.now() - started) / 1000) };
      log(`backlog produced at ${si(produced?.recordsPerSec ?? NaN)}/s`);
    }
    server = startSurgewatch(brokers, topic, dir, workers);
    const url = `http://127.0.0.1:${await server.port}`;
    log(`server on ${url}; connecting ${CLIENTS} clients`);
    let measuring = false;
    const delays = [];
    const perClient = new Array(CLIENTS).fill(0);
    const t0 = performance.now();
    /** Per tick (by the server's `now`): the fastest and slowest delivery, and to how many. */
    const perTick = new Map();
    /** Full-window snapshots received while measuring (a resync when the source catches up). */
    const snapshots = { n: 0, maxBytes: 0 };
    const onSnapshot = (bytes) => {
      if (!measuring) return;
      snapshots.n++;
      snapshots.maxBytes = Math.max(snapshots.maxBytes, bytes);
    };
    sockets = await connectClients(
      url,
      CLIENTS,
      (i, ms, now) => {
        if (!measuring) return;
        delays.push(ms);
        perClient[i]++;
        const t = perTick.get(now);
        if (t) {
          t.min = Math.min(t.min, ms);
          t.max = Math.max(t.max, ms);
          t.n++;
        } else perTick.set(now, { min: ms, max: ms, n: 1 });
      },
      onSnapshot,
    );
    log(
      `${CLIENTS} clients connected in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${backlog ? 'consuming the backlog' : `flowgen at ${rate || 'max'}/s`}`,
    );
    // flowgen runs through the warm-up and the whole measurement
    if (!backlog) flowgen = startFlowgen(brokers, topic, { seconds: WARM_S + SECONDS + 5, rate });
    await sleep(WARM_S * 1000);
    const before = await scrape(url);
    const cpuBefore = process.cpuUsage();
    const threadsBefore = threadCpu(server.proc.pid);
    const start = performance.now();
    measuring = true;
    let rss = before.rss;
    let loopLag = before.loopLag;
    // every scrape while measuring, for the sustained rates (least-squares slopes)
    const series = [{ t: start, records: before.records, flows: before.flows }];
    // a rate: SECONDS of it; a backlog: until all of it is visible (the rate is what was left
    // of it over the time that took, so no checkpoint's timing skews it), at most 5 minutes
    const done = (m) =>
      backlog
        ? m.flows >= backlog || performance.now() - start > 300_000
        : performance.now() - start >= SECONDS * 1000;
    let last = before;
    for (let m = before; !done(m);) {
      const left = backlog ? 1000 : SECONDS * 1000 - (performance.now() - start);
      await sleep(Math.min(1000, Math.max(0, left)));
      m = await scrape(url);
      series.push({ t: performance.now(), records: m.records, flows: m.flows });
      rss = Math.max(rss, m.rss);
      loopLag = Math.max(loopLag, m.loopLag);
      last = m;
    }
    const wallS = (performance.now() - start) / 1000;
    // a backlog row's ticks are measured a little longer: the server sends every screen the
    // whole window again once the source has caught up, and the ticks around it count too
    if (backlog) await sleep(TAIL_S * 1000);
    measuring = false;
    const wallAll = (performance.now() - start) / 1000;
    const after = await scrape(url);
    rss = Math.max(rss, after.rss);
    loopLag = Math.max(loopLag, after.loopLag);
    const threadsAfter = threadCpu(server.proc.pid);
    const harnessCpu = process.cpuUsage(cpuBefore);
    delays.sort((x, y) => x - y);
    // the slowest ticks, and whether every client got them late (the server or the machine)
    // or only some (the clients' side)
    const firstNow = Math.min(...perTick.keys());
    const worstTicks = [...perTick]
      .sort((x, y) => y[1].max - x[1].max)
      .slice(0, 3)
      .map(([now, t]) => ({ at: (now - firstNow) / 1000, ...t }));
    const r = {
      clients: CLIENTS,
      workers,
      rate,
      backlog,
      visible: (last.flows - before.flows) / wallS,
      seconds: wallS,
      consumed: (last.records - before.records) / wallS,
      ...steadyRates(series, backlog),
      lagEnd: after.lag,
      ticks: delays.length,
      // every client should get every tick the server sent while measuring
      expected: CLIENTS * (after.ticks - before.ticks),
      minPerClient: Math.min(...perClient),
      p50: quantile(delays, 0.5),
      p99: quantile(delays, 0.99),
      max: delays.at(-1),
      serverCpu: (after.cpu - before.cpu) / wallAll,
      rss,
      loopLag,
      dropped: after.dropped - before.dropped,
      harnessCpu: (harnessCpu.user + harnessCpu.system) / 1e6 / wallAll,
      pauses: after.pauses - before.pauses,
      threads: threadCores(
        server.proc.pid,
        threadsBefore,
        threadsAfter,
        wallAll,
        workers ?? defaultWorkerCount(),
      ),
      // event-loop probes (every 100 ms) that ran 250 ms or more late: stalls between scrapes
      worstTicks,
      snapshots,
      stalls: after.probes - after.probesBelow250 - (before.probes - before.probesBelow250),
      transactions: after.transactions - before.transactions,
      partials: after.partials - before.partials,
      partialBytes: after.partialBytes - before.partialBytes,
      load: loadavg()[0],
    };
    for (const s of sockets) s.close();
    sockets = [];
    if (flowgen) {
      flowgen.proc.kill('SIGINT');
      r.flowgen = await flowgen.done;
      flowgen = undefined;
    } else r.flowgen = produced;
    await stopServer();
    log(
      `ticks p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms; ${r.ticks}/${r.expected} ticks; consumed ${si(r.consumed)}/s; server CPU ${r.serverCpu.toFixed(2)} cores, RSS ${(r.rss / 2 ** 20).toFixed(0)} MiB; ${r.snapshots.n} snapshots`,
    );
    return r;
  };

  try {
    const rows = [];
    for (const rate of RATES) rows.push(await scenario(rate));
    return report(rows, given);
  } finally {
    await stopServer();
    await stopBrokers();
    process.off('exit', killChildren);
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(rows, given) {
  const ok = (b) => (b ? 'met' : '**not met**');
  const produced = (r) => r.flowgen?.recordsPerSec ?? NaN;
  const at1000 = rows.filter((r) => r.clients >= 1000);
  const worstP99 = Math.max(...rows.map((r) => r.p99));
  const steady = (r) => Math.min(r.steadyConsumed, r.steadyVisible);
  const best = rows.reduce((x, y) => (steady(y) > steady(x) ? y : x));
  const r0 = rows[0];
  const md = [
    '| clients | input | produced | steady rate: decoded / visible | consumed by the server | aggregated and visible | lag at the end | tick delay p50 / p99 / max | ticks received / expected | server CPU | server RSS (max) | event-loop lag (max) | paused (backpressure) | load average |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.clients} | ${r.backlog ? `backlog of ${si(r.backlog)}${r.workers === undefined ? '' : `, kafka.workers ${r.workers}`}` : r.rate ? `flowgen ${si(r.rate)}/s` : 'flowgen max'} | ${Number.isNaN(produced(r)) ? 'n/a' : `${si(produced(r))}/s${r.backlog ? ' (before the start)' : ''}`} | **${si(r.steadyConsumed)}/s / ${si(r.steadyVisible)}/s** | ${si(r.consumed)}/s | ${si(r.visible)}/s | ${r.lagEnd.toLocaleString('en')} records | ${r.p50} / **${r.p99}** / ${r.max} ms | ${r.ticks.toLocaleString('en')} / ${r.expected.toLocaleString('en')} | ${r.serverCpu.toFixed(2)} cores | ${(r.rss / 2 ** 20).toFixed(0)} MiB | ${(r.loopLag * 1000).toFixed(0)} ms | ${r.pauses}× | ${r.load.toFixed(1)} |`,
    ),
    '',
    `Each row: one server (\`node server/dist/main.js\`, Kafka source, goflow2 JSON, ${PARTITIONS} partitions, ${given ? 'the cluster in KAFKA_BROKERS' : `a local Kafka ${kafkaVersion()} broker`}), flowgen producing goflow2 JSON (one record per message) at the target rate while measuring — or, for a backlog row, the records produced before the server started, read from the beginning with nothing else producing (the server's own ceiling) — ${r0.clients} socket.io clients (websocket transport, one connection each) in the harness process; ${WARM_S} s of warm-up, then ${SECONDS} s measured (a backlog row: until all of the backlog is aggregated and visible, its rate being what was left of it over that time, and its ticks, CPU and RSS ${TAIL_S} s longer, through the moment the source catches up). Delay = the time the tick's message reached the client − \`now\` in the tick (set as the server emits it; same machine, same clock). The clients read \`now\` without JSON-parsing the rest (test/load/lightParser.mjs): a browser parses its own copy on its own CPU, whereas ${r0.clients} clients in one process would queue a thousand parses behind each other and measure that (harness CPU ${rows.map((r) => r.harnessCpu.toFixed(2)).join(' / ')} cores). Ticks are volatile: a client whose socket is still busy misses one (dropped by the server: ${rows.map((r) => r.dropped).join(' / ')}; fewest ticks for one client: ${rows.map((r) => r.minPerClient).join(' / ')}). CPU, RSS and event-loop lag come from the server's own /metrics; the load average is the machine's (1 min, at the end), other work included. Broker, flowgen, server and clients share the machine. Server CPU by thread (from /proc): main ${rows.map((r) => r.threads.main.toFixed(2)).join(' / ')}, pipeline workers ${rows.map((r) => r.threads.workers.toFixed(2)).join(' / ')}, V8 and libuv helpers ${rows.map((r) => r.threads.helpers.toFixed(2)).join(' / ')} cores. Event-loop probes (one every 100 ms) that ran 250 ms or more late while measuring: ${rows.map((r) => r.stalls).join(' / ')}. Slowest ticks (seconds into the measurement: fastest–slowest client): ${rows.map((r) => r.worstTicks.map((t) => `${t.at.toFixed(0)} s: ${t.min}–${t.max} ms`).join(', ')).join(' / ')}. Full-window snapshots received while measuring — the server sends every screen the whole window again when the source catches up (a backlog row's end), and the harness only notes their size: ${rows.map((r) => (r.snapshots.n ? `${r.snapshots.n.toLocaleString('en')} of up to ${(r.snapshots.maxBytes / 1024).toFixed(0)} KiB` : 'none')).join(' / ')}. Checkpoints committed while measuring: ${rows.map((r) => `${r.transactions}, carrying ${r.partials.toLocaleString('en')} partials (${(r.partialBytes / 2 ** 20).toFixed(0)} MiB before gzip)`).join(' / ')}: a checkpoint re-encodes every second its batch touched, so a backlog spread over more event time costs more. Consumed = records decoded (\`surgewatch_kafka_records_total\`); aggregated and visible = flows in the live view (\`surgewatch_flows_total\`, which moves at each checkpoint); both over the whole measured time, end points included: a backlog row's consumed rate is low by the wait for the last checkpoint, its visible rate high by the records already decoded and in flight when measuring began. The steady rate has neither bias: the least-squares slope of each counter against time over the scrapes (one a second) while the server was still reading (a backlog row: until all of it was decoded; ${rows.map((r) => `${r.steadySeconds.toFixed(0)} s`).join(' / ')}).`,
    '',
    `- Target p99 ≤ 200 ms with 1,000 clients: ${at1000.length ? ok(at1000.every((r) => r.p99 <= 200)) : 'not tested at 1,000 clients'} (worst p99 ${worstP99} ms).`,
    `- Target ≥ 100,000 flows/s of goflow2 JSON per instance with the wallboard attached: ${ok(steady(best) >= 100_000)} (best steady rate ${si(best.steadyConsumed)}/s decoded and ${si(best.steadyVisible)}/s made visible; over the whole row ${si(best.consumed)}/s consumed, ${si(best.visible)}/s aggregated and visible${best.lagEnd > 0 ? `, lag ${best.lagEnd.toLocaleString('en')} records at the end` : ''}${Number.isNaN(produced(best)) ? '' : `; flowgen produced ${si(produced(best))}/s ${best.backlog ? ' before the start' : ` of the ${best.rate ? `${si(best.rate)}/s` : 'maximum'} asked`}`}).`,
  ].join('\n');
  return {
    title: 'Load: 1 Hz ticks to many browsers while ingesting',
    command: `LOAD_CLIENTS=${r0.clients} LOAD_RATE=${RATES.join(',')} LOAD_SECONDS=${SECONDS} pnpm bench load (test/load/run.mjs)`,
    markdown: `Machine: ${machine()}.\n\n${md}`,
  };
}
