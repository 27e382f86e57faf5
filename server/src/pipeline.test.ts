import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { T0, testAggregator, testFlow, testKeys } from './aggregate/testing.js';
import type { Enricher } from './enrich/index.js';
import { pipelineMetrics } from './metrics.js';
import { createPipeline } from './pipeline.js';

/** Country = first octet of the source, so each flow's key is obvious. */
const enricher: Enricher = {
  keys: (flow, out) => Object.assign(out, testKeys(`C${flow.src.split('.')[0]}`)),
  name: (_d, key) => key,
};
const flows = [
  testFlow(T0 - 5_000, '1.0.0.1', 100, 1),
  testFlow(T0 - 5_000, '2.0.0.1', 200, 2),
  testFlow(T0 - 3_500, '1.0.0.2', 300, 3, T0 - 6_000),
  testFlow(T0 - 1_000, '3.0.0.1', 400, 4),
];
const query = (p: ReturnType<typeof testAggregator>) =>
  p.range(T0 - 60_000, T0 + 1_000, 60_000, 'country', 'bps', 100);

function make() {
  const agg = testAggregator();
  const registry = new Registry();
  const metrics = pipelineMetrics(registry);
  return { agg, registry, pipeline: createPipeline(enricher, agg, metrics) };
}

describe('createPipeline', () => {
  it('a staged batch reaches the live view only when applied, then equals the sink', async () => {
    const viaSink = make();
    viaSink.pipeline.sink(flows);
    const staged = make();
    const batch = staged.pipeline.stage();
    batch.add(flows.slice(0, 2));
    batch.add(flows.slice(2));
    expect(batch.records).toBe(4);
    expect(query(staged.agg).totals.flows).toBe(0);
    const partials = await batch.encode('sw-a');
    expect(partials.map((p) => p.t)).toEqual([...partials.map((p) => p.t)].sort());
    batch.apply();
    expect(query(staged.agg)).toEqual(query(viaSink.agg));
    const metric = await staged.registry.getSingleMetric('surgewatch_flows_total')?.get();
    expect(metric?.values[0]?.value).toBe(4);
  });

  it('says until when what was read is visible: the last add of the newest applied batch', () => {
    let now = T0;
    let applied = 0;
    const pipeline = createPipeline(enricher, testAggregator(), pipelineMetrics(new Registry()), {
      now: () => now,
      onApplied: () => applied++,
    });
    expect(pipeline.visibleUntil()).toBeNull();
    const a = pipeline.stage();
    a.add(flows.slice(0, 1));
    now = T0 + 400;
    a.add(flows.slice(1, 2));
    const b = pipeline.stage();
    now = T0 + 900;
    b.add(flows.slice(2));
    now = T0 + 1_000;
    expect(pipeline.visibleUntil()).toBeNull();
    a.apply();
    expect(pipeline.visibleUntil()).toBe(T0 + 400);
    expect(applied).toBe(1);
    b.apply();
    expect(pipeline.visibleUntil()).toBe(T0 + 900);
    expect(applied).toBe(2);
  });

  it('a sealed batch is shown before its checkpoint commits; apply then counts nothing twice', async () => {
    let now = T0;
    const agg = testAggregator();
    const pipeline = createPipeline(enricher, agg, pipelineMetrics(new Registry()), {
      now: () => now,
    });
    const viaSink = make();
    viaSink.pipeline.sink(flows);
    const b = pipeline.stage();
    b.add(flows);
    now = T0 + 300;
    await b.encode('sw-a');
    expect(await b.show()).toBe(true);
    expect(b.shown).toBe(true);
    expect(pipeline.visibleUntil()).toBe(T0);
    expect(query(agg)).toEqual(query(viaSink.agg));
    b.apply(); // committed
    expect(query(agg)).toEqual(query(viaSink.agg));
  });

  it('a shown batch whose checkpoint failed is rebuilt out: the re-read counts once', async () => {
    let now = T0;
    const agg = testAggregator();
    const pipeline = createPipeline(enricher, agg, pipelineMetrics(new Registry()), {
      now: () => now,
    });
    // committed: the first two flows (their partials are what Kafka holds)
    const a = pipeline.stage();
    a.add(flows.slice(0, 2));
    const durable = await a.encode('sw-a');
    a.apply();
    // shown, then its transaction fails
    now = T0 + 500;
    const b = pipeline.stage();
    b.add(flows.slice(2));
    const lost = await b.encode('sw-a');
    await b.show();
    expect(pipeline.visibleUntil()).toBe(T0 + 500);
    // the rebuild from its oldest second: every committed partial of those seconds on
    const from = Math.min(...lost.map((p) => p.t));
    const r = pipeline.rebuild(from);
    for (const p of durable) if (p.t >= from) r.add(p.value);
    r.finish();
    expect(pipeline.visibleUntil()).toBe(T0); // back to the committed batch
    const committedOnly = make();
    committedOnly.pipeline.sink(flows.slice(0, 2));
    expect(query(agg)).toEqual(query(committedOnly.agg));
    // its records are read again and commit: exactly the whole input, once
    const again = pipeline.stage();
    again.add(flows.slice(2));
    await again.encode('sw-a');
    await again.show();
    again.apply();
    const all = make();
    all.pipeline.sink(flows);
    expect(query(agg)).toEqual(query(all.agg));
  });

  it('a batch dropped before it was shown never is', async () => {
    const { agg, pipeline } = make();
    const b = pipeline.stage();
    b.add(flows);
    await b.encode('sw-a');
    b.drop();
    expect(await b.show()).toBe(false);
    expect(query(agg).totals.flows).toBe(0);
  });

  it('restoring the partials of staged batches rebuilds the same view', async () => {
    const first = make();
    const encoded = [];
    for (const part of [flows.slice(0, 3), flows.slice(3)]) {
      const b = first.pipeline.stage();
      b.add(part);
      encoded.push(...(await b.encode('sw-a')));
      b.apply();
    }
    const second = make();
    const restore = second.pipeline.restore();
    for (const p of encoded) expect(restore.add(p.value).instance).toBe('sw-a');
    expect(query(second.agg).totals.flows).toBe(0); // merged at once, by finish()
    restore.finish();
    expect(query(second.agg)).toEqual(query(first.agg));
  });

  it('a bad partial throws partial_invalid and leaves the rest intact', () => {
    const { pipeline } = make();
    const restore = pipeline.restore();
    expect(() => restore.add(Buffer.from('{"v":99}'))).toThrow(
      expect.objectContaining({ code: 'partial_invalid' }),
    );
  });
});
