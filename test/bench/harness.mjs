// What the Kafka, detection and load benchmarks share: names, ports, a broker (KAFKA_BROKERS or
// one started for the run) and the server's "listening" port.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaVersion, startBroker } from '../kafka/broker.mjs';

/** A topic or group name of its own for each run. */
export const unique = (p) => `${p}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The q-quantile of ascending `sorted` (nearest rank). */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

/**
 * The steady rates of a load scenario (`series`: scrapes of `t` ms, `records` decoded, `flows`
 * visible): least-squares slopes of records decoded and of flows made
 * visible against time, over the scrapes (one a second) while the server was still reading —
 * for a backlog, up to the first scrape at which all of it was decoded, so neither the
 * records already in flight when measuring began nor the last checkpoint's wait at the end
 * bends them (the endpoint rates beside them carry one bias each). NaN with fewer than 5 points.
 */
export function steadyRates(series, backlog) {
  const done = backlog ? series.findIndex((p) => p.records >= backlog) : -1;
  const pts = done >= 0 ? series.slice(0, done + 1) : series;
  const slope = (y) => {
    if (pts.length < 5) return NaN;
    const mt = pts.reduce((a, p) => a + p.t, 0) / pts.length;
    const my = pts.reduce((a, p) => a + y(p), 0) / pts.length;
    let num = 0;
    let den = 0;
    for (const p of pts) {
      num += (p.t - mt) * (y(p) - my);
      den += (p.t - mt) ** 2;
    }
    return (num / den) * 1000;
  };
  return {
    steadyConsumed: slope((p) => p.records),
    steadyVisible: slope((p) => p.flows),
    steadySeconds: pts.length > 1 ? ((pts.at(-1)?.t ?? 0) - (pts[0]?.t ?? 0)) / 1000 : 0,
  };
}

/**
 * CPU seconds so far of each thread of process `pid` (Linux /proc; empty elsewhere), by
 * thread id: the main thread's id is the pid. Clock ticks are taken as 100 a second, as on
 * every Linux build Node.js supports.
 */
export function threadCpu(pid) {
  const out = new Map();
  const dir = `/proc/${pid}/task`;
  if (!existsSync(dir)) return out;
  for (const tid of readdirSync(dir)) {
    try {
      const stat = readFileSync(`${dir}/${tid}/stat`, 'utf8');
      // fields after "(comm)": state is 3rd, utime 14th and stime 15th of the whole line
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/**
 * Cores each kind of thread used between two {@link threadCpu} readings over `seconds`: the
 * main thread, the busiest other threads (the pipeline workers, `workers` of them), and the
 * rest (V8's GC and compiler helpers, libuv's pool).
 */
export function threadCores(pid, a, b, seconds, workers) {
  const used = [...b].map(([tid, s]) => [tid, s - (a.get(tid) ?? 0)]);
  const main = used.find(([tid]) => tid === pid)?.[1] ?? 0;
  const others = used
    .filter(([tid]) => tid !== pid)
    .map(([, s]) => s)
    .sort((x, y) => y - x);
  const w = others.slice(0, workers).reduce((n, s) => n + s, 0);
  const rest = others.slice(workers).reduce((n, s) => n + s, 0);
  return { main: main / seconds, workers: w / seconds, helpers: rest / seconds };
}

/**
 * The brokers of KAFKA_BROKERS, or a single local broker started for the run (its data in a
 * temporary folder). `stop()` stops and removes what was started; `given` says which it was.
 */
export async function benchBrokers(log) {
  const given = process.env.KAFKA_BROKERS?.trim();
  if (given) return { brokers: given.split(','), given: true, stop: async () => undefined };
  const dataDir = mkdtempSync(join(tmpdir(), 'surgewatch-bench-kafka-'));
  log('starting a broker');
  const broker = await startBroker({
    port: await freePort(),
    controllerPort: await freePort(),
    dataDir,
    version: kafkaVersion(),
  });
  return {
    brokers: broker.brokers,
    given: false,
    stop: async () => {
      await broker.stop({ timeoutMs: 10_000 });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves with the port of a spawned server once it logs "listening" on any of `streams`
 * (utf-8 readables); rejects if it exits first or after `timeoutMs`.
 */
export function listeningPort(proc, streams, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (chunk) => {
      buf += chunk;
      const m = /"port":(\d+)[^\n]*"msg":"listening"/.exec(buf);
      if (m) resolve(Number(m[1]));
      if (buf.length > 1e6) buf = buf.slice(-1e5);
    };
    for (const s of streams) s.setEncoding('utf8').on('data', onData);
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    setTimeout(
      () => reject(new Error(`server not listening after ${timeoutMs / 1000} s`)),
      timeoutMs,
    ).unref();
  });
}
