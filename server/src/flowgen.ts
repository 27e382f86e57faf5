#!/usr/bin/env node
// pnpm flowgen -- …: produces flow records to Kafka in any input format. See --help.
import type { Flow } from '@surgewatch/shared';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  USAGE,
  parseFlowgenArgs,
  UsageError,
  type FlowgenFormat,
  type FlowgenOptions,
} from './flowgen/args.js';
import { baselineGenerator, demoGenerator } from './flowgen/generators.js';
import { runFlowgen, type FlowgenStats } from './flowgen/run.js';
import {
  encodeGoflow2Json,
  encodeGoflow2Pb,
  encodePmacctJson,
  encodeSurgewatch,
} from './ingest/decode/encode.js';
import { connectFlowProducer } from './ingest/kafkaFlowProducer.js';

const ENCODERS: Record<FlowgenFormat, (flows: readonly Flow[]) => Buffer> = {
  surgewatch: encodeSurgewatch,
  'goflow2-json': encodeGoflow2Json,
  'goflow2-pb': encodeGoflow2Pb,
  'pmacct-json': encodePmacctJson,
};

function human(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function line(s: FlowgenStats): string {
  const secs = Math.max(s.elapsedMs, 1) / 1000;
  return `${s.records} records, ${s.messages} messages, ${human(s.bytes)} in ${secs.toFixed(1)} s — ${Math.round(s.records / secs)} records/s`;
}

async function main(): Promise<number> {
  let opts: FlowgenOptions;
  try {
    opts = parseFlowgenArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`flowgen: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (opts.scenario === 'demo' && opts.rate === 0) {
    process.stderr.write('flowgen: --scenario demo needs a --rate > 0 (its baseline records/s)\n');
    return 2;
  }

  let producer;
  try {
    producer = await connectFlowProducer({ brokers: opts.brokers, clientId: 'surgewatch-flowgen' });
    const topic = await producer.ensureTopic(opts.topic, opts.partitions);
    const note =
      topic.partitions < opts.partitions
        ? ` (exists with fewer than the ${opts.partitions} asked)`
        : '';
    process.stderr.write(
      `flowgen: ${topic.created ? 'created' : 'using'} topic ${opts.topic} with ${topic.partitions} partition(s)${note}; ` +
        `${opts.scenario}, ${opts.format}, ${opts.rate || 'max'} records/s, ${opts.batch} per message\n`,
    );
  } catch (err) {
    process.stderr.write(
      `flowgen: ${producer ? producer.explain(err, opts.topic).message : (err as Error).message}\n`,
    );
    await producer?.close();
    return 1;
  }

  let stop = false;
  process.once('SIGINT', () => (stop = true));
  process.once('SIGTERM', () => (stop = true));
  const tty = process.stderr.isTTY;
  const start = Date.now();
  const gen =
    opts.scenario === 'demo'
      ? demoGenerator(opts.seed, opts.rate, start)
      : baselineGenerator(opts.seed, opts.rate, start);
  let stats: FlowgenStats;
  try {
    stats = await runFlowgen(
      gen,
      { durationMs: opts.durationMs, count: opts.count, batch: opts.batch },
      {
        send: (values) => producer.send(opts.topic, values),
        encode: ENCODERS[opts.format],
        now: Date.now,
        sleep: (ms) => sleep(ms),
        stopRequested: () => stop,
        onProgress: (s) => {
          if (tty) process.stderr.write(`\rflowgen: ${line(s)}   `);
          else if (Math.round(s.elapsedMs / 1000) % 5 === 0)
            process.stderr.write(`flowgen: ${line(s)}\n`);
        },
      },
    );
  } catch (err) {
    process.stderr.write(
      `${tty ? '\n' : ''}flowgen: ${producer.explain(err, opts.topic).message}\n`,
    );
    await producer.close();
    return 1;
  }
  await producer.close();
  if (tty) process.stderr.write('\n');
  if (opts.json) {
    const secs = Math.max(stats.elapsedMs, 1) / 1000;
    process.stdout.write(
      `${JSON.stringify({ ...stats, recordsPerSec: stats.records / secs, targetRate: opts.rate, format: opts.format, topic: opts.topic })}\n`,
    );
  } else {
    process.stdout.write(
      `flowgen: done: ${line(stats)} (target ${opts.rate || 'max'}/s) to ${opts.topic}\n`,
    );
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `flowgen: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
