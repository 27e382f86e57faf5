#!/usr/bin/env node
// pnpm kafka:up | kafka:down, and `node test/kafka/cli.mjs fetch` for CI.
//   KAFKA_VERSION  release to run (default: DEFAULT_KAFKA_VERSION in broker.mjs)
//   KAFKA_PORT     client port on 127.0.0.1 (default 9092); the controller uses KAFKA_PORT + 1
// Jars and data live under .cache/kafka/<version>/ and survive `down`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CACHE_ROOT,
  ensureJars,
  isAlive,
  kafkaVersion,
  startBroker,
  stopBroker,
} from './broker.mjs';
import { probeBroker } from './metadataProbe.mjs';

const port = Number(process.env.KAFKA_PORT ?? 9092);
if (!Number.isInteger(port) || port <= 0 || port > 65534)
  fail(`KAFKA_PORT must be a port number, got ${process.env.KAFKA_PORT}`);
const pidFile = join(CACHE_ROOT, `broker-${port}.pid`);

/** @param {string} msg */
function fail(msg) {
  process.stderr.write(`kafka: ${msg}\n`);
  process.exit(1);
}

async function up() {
  const version = kafkaVersion();
  if (existsSync(pidFile)) {
    const info = JSON.parse(readFileSync(pidFile, 'utf8'));
    if (isAlive(info.pid)) {
      process.stdout.write(
        `kafka: ${info.version} already running on 127.0.0.1:${info.port} (pid ${info.pid}, log ${info.logFile})\n`,
      );
      if (info.version !== version)
        process.stdout.write(
          `kafka: note: KAFKA_VERSION=${version} asked; run kafka:down first to switch\n`,
        );
      return;
    }
  }
  try {
    await probeBroker({ port, timeoutMs: 1000 });
    fail(
      `something already answers Kafka requests on 127.0.0.1:${port} (not started by kafka:up); set KAFKA_PORT`,
    );
  } catch {
    /* port free of Kafka: good */
  }
  const started = Date.now();
  const broker = await startBroker({
    port,
    version,
    dataDir: join(CACHE_ROOT, version, `data-${port}`),
    detached: true,
    pidFile,
  });
  process.stdout.write(
    `kafka: Apache Kafka ${version} (KRaft) on ${broker.brokers.join(',')} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
      ` (pid ${broker.pid}, log ${broker.logFile})\n`,
  );
}

async function down() {
  const stopped = await stopBroker({ pidFile });
  process.stdout.write(
    stopped
      ? `kafka: stopped pid ${stopped.pid} (127.0.0.1:${port})\n`
      : `kafka: no broker recorded for 127.0.0.1:${port}\n`,
  );
}

const cmd = process.argv[2];
try {
  if (cmd === 'up') await up();
  else if (cmd === 'down') await down();
  else if (cmd === 'fetch')
    process.stdout.write(`kafka: jars for ${kafkaVersion()} in ${ensureJars()}\n`);
  else fail('usage: cli.mjs up|down|fetch   (env KAFKA_VERSION, KAFKA_PORT)');
} catch (err) {
  fail(/** @type {Error} */ (err).message);
}
