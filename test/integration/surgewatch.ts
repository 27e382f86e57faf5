import type { SourceStatus } from '@surgewatch/shared';
import { Kafka, logLevel, Partitioners, type IHeaders } from 'kafkajs';
import { startServer, type RunningServer } from '../harness/server.js';
import { uniqueTopic } from '../kafka/topics.js';
import type { Sums } from './testFlows.js';

/**
 * Starts the real server consuming `topic` with a fresh group from the beginning, with its
 * own partials topic unless `kafka.partialsTopic` names one (a restart test passes the same
 * one again): the tests share a broker, and a server restores every partial it finds. Seconds
 * are sealed (compacted) only after 10 minutes here: these tests check what the source
 * delivers, and a late share landing in an already sealed second is the aggregator's
 * business (a key new to that second is folded into "other").
 */
export async function startKafkaServer(opts: {
  brokers: string[];
  topic: string;
  groupId: string;
  kafka?: Record<string, unknown>;
}): Promise<RunningServer> {
  return startServer({
    config: {
      source: 'kafka',
      log: { level: 'info' },
      retention: { sealAfter: '10m' },
      kafka: {
        brokers: opts.brokers,
        topic: opts.topic,
        groupId: opts.groupId,
        format: 'auto',
        fromBeginning: true,
        partialsTopic: uniqueTopic('partials'),
        ...opts.kafka,
      },
    },
    timeoutMs: 60_000,
  });
}

export interface TrafficResponse {
  by: string;
  from: number;
  to: number;
  stepMs: number;
  totals: Sums;
  groups: (Sums & { key: string; name: string; series: number[] })[];
  times: number[];
}

/** GET /api/traffic?by=country over [from, to), every group. */
export async function trafficByCountry(
  url: string,
  from: number,
  to: number,
): Promise<TrafficResponse> {
  const res = await fetch(
    `${url}/api/traffic?by=country&from=${from}&to=${to}&step=60000&top=1000`,
  );
  if (!res.ok) throw new Error(`GET /api/traffic: ${res.status} ${await res.text()}`);
  return (await res.json()) as TrafficResponse;
}

/** Per-country sums from a traffic response, in the shape of the expected map. */
export function byCountry(r: TrafficResponse): Map<string, Sums> {
  return new Map(
    r.groups.map((g) => [g.key, { bytes: g.bytes, packets: g.packets, flows: g.flows }]),
  );
}

/** A query window that holds every flow of the test, aligned to whole minutes. */
export function windowFor(minStart: number, maxEnd: number): { from: number; to: number } {
  return {
    from: Math.floor((minStart - 60_000) / 60_000) * 60_000,
    to: Math.ceil((maxEnd + 60_000) / 60_000) * 60_000,
  };
}

/** The value of one Prometheus sample from GET /metrics, 0 when absent. */
export async function metric(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] ?? '').split(',').filter(Boolean).sort().join(',');
    if (got === want) return Number(m[3]);
  }
  return 0;
}

/** Produces message values (and optional headers) to `topic`, as a collector would. */
export async function produce(
  brokers: string[],
  topic: string,
  values: readonly (Buffer | string)[],
  headers?: IHeaders,
): Promise<void> {
  const kafka = new Kafka({
    clientId: 'surgewatch-test-collector',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (let i = 0; i < values.length; i += 500) {
      await producer.send({
        topic,
        messages: values
          .slice(i, i + 500)
          .map((value) => ({ value, ...(headers ? { headers } : {}) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

export type { SourceStatus };
