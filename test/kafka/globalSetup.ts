import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { kafkaVersion, startBroker } from './broker.mjs';
import { freePort } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port list of the Kafka cluster the tests use. */
    kafkaBrokers: string[];
    /** The Kafka release of that cluster ('' when KAFKA_BROKERS named an outside one). */
    kafkaVersion: string;
  }
}

/**
 * Starts a fresh single-node broker for the whole run unless KAFKA_BROKERS names one.
 * Costs ~5 s of JVM start-up; the jars are fetched by mvn on the first run only.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.KAFKA_BROKERS?.trim();
  if (given) {
    project.provide('kafkaBrokers', given.split(','));
    project.provide('kafkaVersion', '');
    return async () => {};
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'surgewatch-kafka-'));
  const broker = await startBroker({
    port: await freePort(),
    controllerPort: await freePort(),
    dataDir,
    version: kafkaVersion(),
  });
  project.provide('kafkaBrokers', broker.brokers);
  project.provide('kafkaVersion', broker.version);
  return async () => {
    await broker.stop({ timeoutMs: 10_000 });
    rmSync(dataDir, { recursive: true, force: true });
  };
}
