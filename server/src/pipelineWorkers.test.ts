import { Registry } from 'prom-client';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { T0, TEST_AGGREGATOR_OPTIONS, testAggregator } from './aggregate/testing.js';
import { createEnricher, createGeoLookup, openAsnTable, openCountryTable } from './enrich/index.js';
import {
  decodeMessage,
  encodeGoflow2Json,
  encodeGoflow2Pb,
  encodePmacctJson,
  encodeSurgewatch,
} from './ingest/decode/index.js';
import { createScenario } from './ingest/demo/scenario.js';
import { pipelineMetrics } from './metrics.js';
import { createPipeline } from './pipeline.js';
import {
  createPipelineWorkers,
  PipelineWorkerError,
  type PipelineWorkers,
} from './pipelineWorkers.js';

const [countries, asn] = await Promise.all([openCountryTable(''), openAsnTable('')]);
const enricher = createEnricher({
  geo: createGeoLookup(countries),
  asn,
  networks: [{ name: 'web', cidrs: ['203.0.113.0/24'] }],
  regionGroups: [],
});

/** 40 s of the demo scenario in its first wave: thousands of flows, many keys and sources. */
function demoFlows() {
  const sc = createScenario({ seed: 3, loopMs: 360_000, baselineFps: 300 });
  const out = [];
  for (let t = T0 - 40_000; t < T0; t += 1000) out.push(...sc.flowsForSecond(t));
  return out;
}

function make(workers?: PipelineWorkers) {
  const agg = testAggregator();
  const registry = new Registry();
  return {
    agg,
    registry,
    pipeline: createPipeline(enricher, agg, pipelineMetrics(registry), { workers }),
  };
}

const views = (agg: ReturnType<typeof testAggregator>) => [
  ...(['country', 'region', 'asn', 'destination', 'service', 'vector'] as const).map((by) =>
    agg.range(T0 - 60_000, T0 + 1_000, 1_000, by, 'bps', 500),
  ),
  // the pair dimensions, through the drill-down of the first wave's countries
  ...(['RU', 'BR'] as const).map((cc) =>
    agg.drill(T0 - 60_000, T0 + 1_000, 1_000, cc, 'asn', 'bps', 500),
  ),
];

let pool: PipelineWorkers | undefined;
afterEach(async () => {
  await pool?.stop();
  pool = undefined;
});

const DECODE = {
  format: 'auto',
  defaultSampling: 1,
  maxMessageBytes: 1_048_576,
  maxFutureMs: 60_000,
  maxPastMs: 86_400_000,
} as const;

function start(count: number) {
  pool = createPipelineWorkers(
    count,
    {
      countryDb: '',
      asnDb: '',
      networks: [{ name: 'web', cidrs: ['203.0.113.0/24'] }],
      regionGroups: [],
      aggregator: TEST_AGGREGATOR_OPTIONS,
      decode: DECODE,
    },
    { logger: pino({ level: 'silent' }) },
  );
  return pool;
}

describe('pipeline workers', () => {
  it('batches staged on two threads and applied give exactly the view the main thread builds', async () => {
    const flows = demoFlows();
    // one flow past the retention window: late on both paths
    const late = {
      ...(flows[0] as (typeof flows)[number]),
      end: T0 - 7_200_000,
      start: T0 - 7_200_000,
    };
    const input = [...flows, late];
    const inline = make();
    inline.pipeline.sink(input);

    const workers = start(2);
    await workers.start();
    const threaded = make(workers);
    // two checkpoints, each handed over in chunks spread over both threads; the partials are
    // read back in slices between event-loop turns: the first is applied at once (the rest
    // read then), the second once the slices are done
    for (const [n, part] of [input.slice(0, 5_000), input.slice(5_000)].entries()) {
      const batch = threaded.pipeline.stage();
      for (let i = 0; i < part.length; i += 777) batch.add(part.slice(i, i + 777));
      const partials = await batch.encode('sw-a');
      expect(partials.length).toBeGreaterThan(0);
      if (n === 1) await new Promise((r) => setTimeout(r, 300));
      batch.apply();
    }
    expect(threaded.agg.getStats()).toEqual(inline.agg.getStats());
    expect(threaded.agg.getStats().late).toBe(1);
    expect(views(threaded.agg)).toEqual(views(inline.agg));
    const total = input.slice(0, -1).reduce((s, f) => s + f.bytes, 0);
    expect(views(threaded.agg)[0]?.totals.bytes).toBe(total);
    const bytes = await threaded.registry.getSingleMetric('surgewatch_flow_bytes_total')?.get();
    expect(bytes?.values[0]?.value).toBe(total);
    expect(workers.backlog).toBe(0);
  });

  it('a thread that dies loses its batch: the seal fails as retriable, and the next batch works', async () => {
    const flows = demoFlows().slice(0, 2_000);
    const workers = start(1);
    await workers.start();
    const threaded = make(workers);
    const lost = threaded.pipeline.stage();
    lost.add(flows);
    await workers.kill(0);
    const err = await Promise.resolve(lost.encode('sw-a')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineWorkerError);
    expect((err as PipelineWorkerError).retriable).toBe(true);
    // started again a second later
    await new Promise((r) => setTimeout(r, 1_500));
    const next = threaded.pipeline.stage();
    next.add(flows);
    await next.encode('sw-a');
    next.apply();
    expect(threaded.agg.getStats().flows).toBe(2_000);

    // the same with a chunk it was decoding: the seal fails, the view is untouched (the
    // records are read again, and counted again then)
    const raw = threaded.pipeline.stage();
    raw.addRaw!({
      values: flows.map((f) => encodeSurgewatch([f])),
      now: T0,
      onDecoded: () => undefined,
    });
    await workers.kill(0);
    const err2 = await Promise.resolve(raw.encode('sw-a')).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(PipelineWorkerError);
    expect(threaded.agg.getStats().flows).toBe(2_000);
  });

  it('chunks decoded on the threads give the view and the rejects the consumer would find', async () => {
    const flows = demoFlows().slice(0, 6_000);
    // every format, one record a message, with bad records among them
    const encoders = [encodeGoflow2Json, encodeGoflow2Pb, encodePmacctJson, encodeSurgewatch];
    const values: Uint8Array[] = flows.map((f, i) => encoders[i % 4]!([f]));
    const bad = [
      Buffer.from('{"ts": 1'),
      Buffer.from(
        JSON.stringify({ ts: T0, src: '10.0.0.1', dst: 'nope', proto: 6, bytes: 1, packets: 1 }),
      ),
      Buffer.from([0xff, 0x00, 0x13]),
    ];
    for (const [i, at] of [1_000, 2_500, 3_000].entries()) values.splice(at, 0, bad[i]!);
    const ctx = { ...DECODE, now: T0 };

    const inline = make();
    const rejects: string[] = [];
    values.forEach((v, i) => {
      const r = decodeMessage(v, 'auto', ctx);
      inline.pipeline.sink(r.flows);
      for (const x of r.rejects) rejects.push(`${i}:${x.reason}`);
    });
    expect(rejects).toEqual(['1000:invalid_json', '2500:bad_address', '3000:binary_garbage']);

    const workers = start(2);
    await workers.start();
    const threaded = make(workers);
    expect(threaded.pipeline.takesRaw?.()).toBe(true);
    const found: string[] = [];
    let decoded = 0;
    const batch = threaded.pipeline.stage();
    // chunks of 500 messages: odd ones decoded on the threads, even ones here, as the consumer mixes them
    for (let i = 0; i < values.length; i += 500) {
      const part = values.slice(i, i + 500);
      if ((i / 500) % 2 === 1) {
        batch.addRaw!({
          values: part,
          now: T0,
          onDecoded: (s) => {
            decoded += s.flows;
            for (const [j, rs] of s.rejects) for (const x of rs) found.push(`${i + j}:${x.reason}`);
          },
        });
      } else {
        batch.add(part.flatMap((v) => decodeMessage(v, 'auto', ctx).flows));
      }
    }
    await batch.encode('sw-a');
    batch.apply();
    // the reject in an odd chunk (1000 and 3000 are in even ones: decoded here)
    expect(found).toEqual(['2500:bad_address']);
    expect(decoded).toBe(3_000 - 1);
    found.length = 0;
    expect(threaded.agg.getStats()).toEqual(inline.agg.getStats());
    expect(views(threaded.agg)).toEqual(views(inline.agg));

    // all of it on the threads: every reject reported, with its index in its chunk
    const all = make(workers);
    const whole = all.pipeline.stage();
    whole.addRaw!({
      values,
      now: T0,
      onDecoded: (s) => {
        for (const [j, rs] of s.rejects) for (const x of rs) found.push(`${j}:${x.reason}`);
      },
    });
    await whole.encode('sw-a');
    whole.apply();
    expect(found).toEqual(rejects);
    expect(views(all.agg)).toEqual(views(inline.agg));
    expect(all.agg.getStats().flows).toBe(6_000);
  });
});
