import { parseArgs } from 'node:util';

export const FLOWGEN_FORMATS = ['surgewatch', 'goflow2-json', 'goflow2-pb', 'pmacct-json'] as const;
export type FlowgenFormat = (typeof FLOWGEN_FORMATS)[number];
export const SCENARIOS = ['baseline', 'demo'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Formats whose producers put several records in one message. goflow2 JSON writes one. */
export const BATCHABLE: ReadonlySet<FlowgenFormat> = new Set([
  'surgewatch',
  'goflow2-pb',
  'pmacct-json',
]);

export interface FlowgenOptions {
  brokers: string[];
  topic: string;
  format: FlowgenFormat;
  scenario: ScenarioName;
  /** Records per second; 0 = as fast as the broker takes them. */
  rate: number;
  /** Stop after this long, ms; null = no limit. */
  durationMs: number | null;
  /** Stop after this many records; null = no limit. */
  count: number | null;
  partitions: number;
  /** Records per Kafka message (1 for goflow2-json). */
  batch: number;
  seed: number;
  json: boolean;
  help: boolean;
}

export const USAGE = `usage: pnpm flowgen -- [options]

Produces flow records to Kafka, as a collector would.

  --brokers <h:p,…>    Kafka brokers (default: KAFKA_BROKERS or 127.0.0.1:9092)
  --topic <name>       topic (default: flows)
  --format <f>         ${FLOWGEN_FORMATS.join(' | ')} (default: surgewatch)
  --scenario <s>       baseline: steady ordinary traffic; demo: the built-in attack scenario,
                       whose waves add to --rate (default: baseline)
  --rate <n>           records per second; 0 = as fast as possible (default: 1000)
  --duration <s>       stop after this many seconds
  --count <n>          stop after this many records
  --partitions <n>     create the topic with n partitions if it is missing (default: 1)
  --batch <n>          records per message for surgewatch, goflow2-pb, pmacct-json (default: 1)
  --seed <n>           random seed (default: 1)
  --json               print the final summary as JSON
  --help

Without --duration or --count it runs until interrupted (Ctrl-C prints the summary).
`;

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'bad_usage';
  readonly retriable = false;
}

function int(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  return n;
}

/** Parses and validates flowgen's arguments; `env` supplies KAFKA_BROKERS. */
export function parseFlowgenArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): FlowgenOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv.filter((a) => a !== '--'),
      strict: true,
      options: {
        brokers: { type: 'string' },
        topic: { type: 'string' },
        format: { type: 'string' },
        scenario: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        count: { type: 'string' },
        partitions: { type: 'string' },
        batch: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const brokers = (values.brokers ?? env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const b of brokers)
    if (!/^[^\s:]+:\d+$/.test(b))
      throw new UsageError(`--brokers: ${JSON.stringify(b)} is not host:port`);
  const format = (values.format ?? 'surgewatch') as FlowgenFormat;
  if (!FLOWGEN_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${FLOWGEN_FORMATS.join(', ')}`);
  const scenario = (values.scenario ?? 'baseline') as ScenarioName;
  if (!SCENARIOS.includes(scenario))
    throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  const duration = values.duration === undefined ? null : Number(values.duration);
  if (duration !== null && !(duration > 0))
    throw new UsageError(`--duration must be a number of seconds > 0`);
  const batch = int('batch', values.batch, 1, 1);
  if (batch > 1 && !BATCHABLE.has(format))
    throw new UsageError(`--batch: ${format} carries one record per message`);
  const topic = values.topic ?? 'flows';
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
    throw new UsageError(`--topic: ${JSON.stringify(topic)} is not a valid Kafka topic name`);
  return {
    brokers,
    topic,
    format,
    scenario,
    rate: int('rate', values.rate, 1000, 0),
    durationMs: duration === null ? null : Math.round(duration * 1000),
    count: values.count === undefined ? null : int('count', values.count, 0, 1),
    partitions: int('partitions', values.partitions, 1, 1),
    batch,
    seed: int('seed', values.seed, 1, 0),
    json: values.json ?? false,
    help: values.help ?? false,
  };
}
