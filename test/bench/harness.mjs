// What the Kafka, detection and load benchmarks share: names, ports, a broker (KAFKA_BROKERS or
// one started for the run) and the server's "listening" port.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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
