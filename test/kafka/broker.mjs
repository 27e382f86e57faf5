// A real single-node Apache Kafka (KRaft, broker + controller) from Maven Central jars, for
// `pnpm kafka:up` and for the test suite. Node built-ins only. Types: broker.d.mts.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeBroker } from './metadataProbe.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
export const CACHE_ROOT = join(REPO_ROOT, '.cache', 'kafka');

/**
 * The newest Kafka release on Maven Central that kafkajs 2.2.4 passes our checks against
 * (produce, consume, consumer groups, transactions with sendOffsets): see test/kafka/README.md.
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

/** @returns {string} KAFKA_VERSION or the default */
export function kafkaVersion() {
  return process.env.KAFKA_VERSION?.trim() || DEFAULT_KAFKA_VERSION;
}

/** @param {string} version */
export function libsDir(version) {
  return join(CACHE_ROOT, version, 'libs');
}

/**
 * Fetches the broker jars for `version` with Maven once; later calls return at once.
 * Safe to call concurrently: Maven writes to a private folder that is renamed into place.
 * @param {string} [version]
 * @returns {string} the libs folder
 */
export function ensureJars(version = kafkaVersion()) {
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`KAFKA_VERSION must look like 4.1.2, got ${JSON.stringify(version)}`);
  const libs = libsDir(version);
  const marker = join(libs, '.complete');
  if (existsSync(marker)) return libs;
  const tmp = `${libs}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  process.stderr.write(
    `kafka: fetching Apache Kafka ${version} jars with mvn into ${libs} (once)\n`,
  );
  const mvn = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(HERE, 'pom.xml'),
      `-Dkafka.version=${version}`,
      `-Dkafka.libs=${tmp}`,
      'dependency:copy-dependencies',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  // Maven 3.8 prints bare colour resets even with -B; keep only what it has to say.
  // eslint-disable-next-line no-control-regex
  const said = `${mvn.stdout ?? ''}${mvn.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '').trim();
  if (said) process.stderr.write(`${said}\n`);
  if (mvn.error || mvn.status !== 0 || !existsSync(join(tmp, `kafka_2.13-${version}.jar`))) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(
      `mvn could not fetch Apache Kafka ${version} (${mvn.error?.message ?? `exit ${mvn.status}`})`,
    );
  }
  writeFileSync(join(tmp, '.complete'), `${new Date().toISOString()}\n`);
  if (existsSync(marker)) {
    rmSync(tmp, { recursive: true, force: true }); // another process won the race
  } else {
    rmSync(libs, { recursive: true, force: true });
    renameSync(tmp, libs);
  }
  return libs;
}

/**
 * @param {{ port: number; controllerPort: number; dataDir: string }} o
 * @returns {string} server.properties for one KRaft node that is broker and controller
 */
function serverProperties({ port, controllerPort, dataDir }) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(dataDir, 'logs')}`,
    `metadata.log.dir=${join(dataDir, 'metadata')}`,
    'num.partitions=1',
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    // Fewer internal partitions than the defaults (50): the first group/transaction is ready sooner.
    'offsets.topic.num.partitions=8',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=4',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=4',
    'log.retention.hours=24',
    '',
  ].join('\n');
}

const LOG4J = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
`;

const LOG4J2 = `status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = out
`;

/** @param {string} file @param {number} [bytes] */
export function tail(file, bytes = 6000) {
  try {
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    const buf = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    closeSync(fd);
    return buf.toString('utf8');
  } catch {
    return '(no broker log)';
  }
}

/** @param {number} pid */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM';
  }
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts one KRaft node and resolves once it serves metadata. The data folder is formatted
 * on first use and reused afterwards (a restart keeps topics and committed offsets).
 * @param {import('./broker.d.mts').StartBrokerOptions} opts
 * @returns {Promise<import('./broker.d.mts').RunningBroker>}
 */
export async function startBroker(opts) {
  const version = opts.version ?? kafkaVersion();
  const port = opts.port ?? 9092;
  const controllerPort = opts.controllerPort ?? port + 1;
  const dataDir = resolve(opts.dataDir);
  const libs = ensureJars(version);
  mkdirSync(dataDir, { recursive: true });
  const props = join(dataDir, 'server.properties');
  writeFileSync(props, serverProperties({ port, controllerPort, dataDir }));
  writeFileSync(join(dataDir, 'log4j.properties'), LOG4J);
  writeFileSync(join(dataDir, 'log4j2.properties'), LOG4J2);
  const logFile = join(dataDir, 'broker.log');
  const classpath = `${libs}/*`;
  const jvm = [
    ...(opts.heap ?? ['-Xms256m', '-Xmx512m']),
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${join(dataDir, 'log4j.properties')}`,
    `-Dlog4j2.configurationFile=${join(dataDir, 'log4j2.properties')}`,
    `-Dkafka.logs.dir=${dataDir}`,
    '-cp',
    classpath,
  ];

  if (!existsSync(join(dataDir, 'metadata', 'meta.properties'))) {
    // as Kafka's own Uuid.randomUuid(): one starting with '-' reads as an option (1 in 64)
    let clusterId;
    do clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-'));
    const fmt = spawnSync(
      'java',
      [
        ...jvm,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        props,
        '--ignore-formatted',
      ],
      {
        encoding: 'utf8',
      },
    );
    if (fmt.status !== 0) {
      throw new Error(
        `kafka storage format failed (exit ${fmt.status}):\n${fmt.stdout}${fmt.stderr}${fmt.error?.message ?? ''}`,
      );
    }
  }

  const out = openSync(logFile, 'a');
  const child = spawn('java', [...jvm, 'kafka.Kafka', props], {
    stdio: ['ignore', out, out],
    detached: opts.detached ?? false,
  });
  closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn java (is a JDK installed?)');
  /** @type {number | null} */
  let exitCode = null;
  let exited = false;
  child.once('exit', (code, signal) => {
    exited = true;
    exitCode = code ?? (signal ? 128 : 1);
  });
  if (opts.detached) child.unref();
  const pidFile = opts.pidFile ?? join(dataDir, 'broker.pid');
  writeFileSync(
    pidFile,
    JSON.stringify({ pid, port, controllerPort, version, dataDir, logFile }) + '\n',
  );

  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  let lastError = 'not probed yet';
  for (;;) {
    if (exited) {
      rmSync(pidFile, { force: true });
      throw new Error(
        `Kafka ${version} exited with code ${exitCode} before it served. Broker log (${logFile}):\n${tail(logFile)}`,
      );
    }
    try {
      if ((await probeBroker({ port, timeoutMs: 2000 })) > 0) break;
      lastError = 'no live broker in metadata yet';
    } catch (err) {
      lastError = /** @type {Error} */ (err).message;
    }
    if (Date.now() > deadline) {
      await stopPid(pid, 5000);
      rmSync(pidFile, { force: true });
      throw new Error(
        `Kafka ${version} did not answer on 127.0.0.1:${port} (${lastError}). Broker log (${logFile}):\n${tail(logFile)}`,
      );
    }
    await sleep(250);
  }

  return {
    brokers: [`127.0.0.1:${port}`],
    port,
    controllerPort,
    pid,
    version,
    dataDir,
    logFile,
    async stop(stopOpts = {}) {
      await stopPid(pid, stopOpts.timeoutMs ?? 20_000, stopOpts.signal);
      rmSync(pidFile, { force: true });
    },
  };
}

/**
 * SIGTERM (or `signal`), then SIGKILL after `timeoutMs`. Resolves once the process is gone.
 * @param {number} pid @param {number} timeoutMs @param {NodeJS.Signals} [signal]
 */
export async function stopPid(pid, timeoutMs, signal = 'SIGTERM') {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    while (isAlive(pid)) await sleep(50);
  }
}

/**
 * Stops the broker recorded in a pid file (as `kafka:up` writes it). Removes the pid file,
 * nothing else: jars and data stay cached.
 * @param {{ pidFile: string; timeoutMs?: number }} opts
 * @returns {Promise<{ pid: number } | null>} null when no broker was recorded or running
 */
export async function stopBroker({ pidFile, timeoutMs = 20_000 }) {
  if (!existsSync(pidFile)) return null;
  /** @type {{ pid?: number }} */
  let info = {};
  try {
    info = JSON.parse(readFileSync(pidFile, 'utf8'));
  } catch {
    /* unreadable: treat as stale */
  }
  rmSync(pidFile, { force: true });
  const pid = info.pid;
  if (typeof pid !== 'number' || !isAlive(pid) || !isJava(pid)) return null;
  await stopPid(pid, timeoutMs);
  return { pid };
}

/** A recycled pid must not get a signal meant for the broker. @param {number} pid */
function isJava(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}
