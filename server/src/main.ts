#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { buildApp, type AlertStoreFactory, type KafkaSourceFactory } from './app.js';
import {
  hashPassword,
  hashToken,
  loadOrCreateAdminToken,
  loadOrCreateSessionSecret,
  newToken,
} from './auth/index.js';
import { ConfigError, loadConfig, needsGeneratedToken, type Config } from './config/index.js';
import type { Component } from './lifecycle.js';
import { tuneHeap } from './heap.js';
import { createLogger } from './logger.js';

const USAGE = `usage: surgewatch [--config <file.yaml>] [--check]
       surgewatch hash-password      reads a password on stdin, prints its scrypt hash
       surgewatch hash-token [--new] reads a token on stdin (--new: makes one), prints its hash

  --config <file>  configuration file (or SURGEWATCH_CONFIG); SURGEWATCH_* variables override it
  --check          validate the configuration and exit (0 = valid)
`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `hash-password` and `hash-token`: the hashes the auth section stores. */
async function hashCommand(command: string, makeNew: boolean): Promise<number> {
  if (command === 'hash-token' && makeNew) {
    const token = newToken();
    process.stdout.write(`token: ${token}\nhash:  ${hashToken(token)}\n`);
    return 0;
  }
  const secret = await readStdin();
  if (secret.length === 0) {
    process.stderr.write(`surgewatch ${command}: nothing on stdin\n`);
    return 2;
  }
  if (command === 'hash-token' && secret.length < 32) {
    process.stderr.write(
      'surgewatch hash-token: a token needs 32+ random characters (use --new); hash a password with hash-password\n',
    );
    return 2;
  }
  const hash = command === 'hash-password' ? await hashPassword(secret) : hashToken(secret);
  process.stdout.write(`${hash}\n`);
  return 0;
}

/** Starts components in order, recording each started one so a failure stops just those. */
async function startAll(components: Component[], started: Component[]) {
  for (const c of components) {
    await c.start();
    started.push(c);
  }
}

async function main(): Promise<number> {
  // before anything allocates much: keeps resident memory near twice the live heap
  tuneHeap();
  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean' },
        new: { type: 'boolean' },
      },
      allowPositionals: true,
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [command, ...extra] = args.positionals;
  if (command !== undefined) {
    if ((command === 'hash-password' || command === 'hash-token') && extra.length === 0) {
      return hashCommand(command, args.values.new === true);
    }
    process.stderr.write(`unknown command: ${args.positionals.join(' ')}\n${USAGE}`);
    return 2;
  }
  const file = args.values.config ?? process.env.SURGEWATCH_CONFIG;
  let config: Config;
  try {
    config = loadConfig({ file, env: process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`surgewatch: ${err.message}\n`);
      return 78; // EX_CONFIG
    }
    throw err;
  }
  if (args.values.check) {
    process.stdout.write(`configuration ${file ?? '(defaults)'} is valid\n`);
    return 0;
  }

  const logger = createLogger(config.log.level);
  let kafkaSource: KafkaSourceFactory | undefined;
  let alertStore: AlertStoreFactory | undefined;
  const wantsKafka =
    config.source === 'kafka' || (config.source === 'auto' && config.kafka !== undefined);
  if (wantsKafka) {
    const mod = await import('./ingest/kafkaSource.js');
    kafkaSource = mod.createKafkaSource as unknown as KafkaSourceFactory;
    alertStore = (await import('./ingest/kafkaAlertStore.js')).createKafkaAlertStore;
  }
  // secure by default: with no credential configured, a generated admin token (kept 0600)
  const generatedToken = needsGeneratedToken(config.auth)
    ? loadOrCreateAdminToken(config.auth.stateDir)
    : undefined;
  // session cookies are signed: with a kept (or shared) secret a restart logs nobody out
  const sessionSecret =
    config.auth.mode === 'none'
      ? undefined
      : config.auth.sessionSecret !== undefined
        ? Buffer.from(config.auth.sessionSecret, 'utf8')
        : loadOrCreateSessionSecret(config.auth.stateDir);
  const app = await buildApp(config, {
    logger,
    generatedToken,
    sessionSecret,
    announce: (text) => process.stderr.write(text),
    now: Date.now,
    kafkaSource,
    alertStore,
    onFatal: (err) => {
      logger.fatal({ err }, 'fatal error; stopping');
      shutdown('fatal', 1);
    },
  });
  logger.info({ source: app.source.status().kind }, 'starting');

  const started: Component[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> => {
    stopping ??= (async () => {
      for (const c of [...started].reverse()) {
        try {
          await c.stop();
        } catch (err) {
          logger.error({ err, component: c.name }, 'stop failed');
        }
      }
      started.length = 0;
    })();
    return stopping;
  };

  const shutdown = (signal: string, code: number) => {
    logger.info({ signal }, 'shutting down');
    // a hung stop must not keep the process alive forever
    setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(code || 1);
    }, 10_000).unref();
    void stopAll().then(() => {
      logger.info('stopped');
      process.exit(code);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM', 0));
  process.once('SIGINT', () => shutdown('SIGINT', 0));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    shutdown('uncaughtException', 1);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    shutdown('unhandledRejection', 1);
  });

  try {
    await startAll(app.components, started);
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    await stopAll();
    return 1;
  }
  logger.info({ port: app.http.port() }, 'started');
  return -1; // keep running
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(
      `surgewatch: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
