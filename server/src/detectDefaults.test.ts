import type { Alert, Flow } from '@surgewatch/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAlertDesk } from './alertDesk.js';
import { Aggregator, aggregatorOptions } from './aggregate/index.js';
import { createDetectReader } from './detectReader.js';
import { alertingSchema, createMemoryStore, DEFAULT_RULES, rulesSchema } from './detect/index.js';
import {
  createEnricher,
  createGeoLookup,
  openAsnTable,
  openCountryTable,
  type NamedNetwork,
} from './enrich/index.js';
import { emptyKeys, type Enricher } from './enrich/enricher.js';
import { createBaseline } from './flowgen/baseline.js';
import { createScenario, DEMO_SERVICES } from './ingest/demo/scenario.js';

/**
 * The default rules over ordinary traffic and real-shaped attacks, through the real enricher
 * (the bundled GeoIP and ASN tables), aggregator, detection reader and alert desk, one
 * simulated second at a time: what arrives in a second is merged, then the desk judges.
 */
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % 360_000);

let tables: {
  geo: ReturnType<typeof createGeoLookup>;
  asn: Awaited<ReturnType<typeof openAsnTable>>;
};
beforeAll(async () => {
  const [country, asn] = await Promise.all([openCountryTable(''), openAsnTable('')]);
  tables = { geo: createGeoLookup(country), asn };
});

function rig(networks: NamedNetwork[]) {
  const enricher: Enricher = createEnricher({ ...tables, networks, regionGroups: [] });
  const aggregator = new Aggregator(aggregatorOptions({}));
  const store = createMemoryStore();
  let now = T0;
  const desk = createAlertDesk({
    rules: rulesSchema.parse(DEFAULT_RULES),
    settings: alertingSchema.parse({}),
    store,
    reader: createDetectReader(aggregator, enricher),
    now: () => now,
    ready: () => true,
    catchUpMs: 0,
    oldest: () => aggregator.bucketTimes()[0] ?? null,
    touched: () => aggregator.takeTouched(),
  });
  const keys = emptyKeys();
  /** Second `t`'s flows arrive (1.1 s after it began) and the desk judges the seconds ended. */
  const second = (t: number, flows: readonly Flow[]) => {
    const delta = aggregator.createDelta();
    for (const f of flows) {
      enricher.keys(f, keys);
      delta.add(f, keys);
    }
    aggregator.merge(delta);
    now = t + 1_100;
    aggregator.advance(now);
    desk.evaluate(t);
  };
  return { second, alerts: (): Alert[] => desk.list() };
}

describe('default rules', () => {
  it('stay quiet over 30 minutes of the flowgen baseline (1,000 flows/s)', () => {
    const { second, alerts } = rig([]);
    const base = createBaseline(7);
    for (let s = 0; s < 1_800; s++) {
      const t = T0 + s * 1000;
      second(t, base.flows(1_000, t + 1000));
    }
    expect(alerts().map((a) => `${a.rule} ${a.state} ${a.id}`)).toEqual([]);
  }, 120_000);

  it("stay quiet through the demo's calm phases, and name target and vectors in its waves", () => {
    const { second, alerts } = rig(
      DEMO_SERVICES.map((s) => ({ name: s.name, cidrs: [...s.cidrs] })),
    );
    const loopMs = 360_000;
    const scenario = createScenario({ seed: 1, loopMs, baselineFps: 300 });
    // three loops (18 minutes): calm, wave 1, calm, wave 2, calm, again and again
    for (let s = 0; s < (3 * loopMs) / 1000; s++) {
      const t = T0 + s * 1000;
      second(t, scenario.flowsForSecond(t));
    }
    const all = alerts();
    // every alert began in a wave, none in the calm (a wave's first flows began up to a
    // couple of seconds before it: they spread over the seconds they lasted)
    const calm = all.filter((a) => scenario.phaseAt(a.startedAt + 2_000) === 'calm');
    expect(calm.map((a) => `${a.rule} ${JSON.stringify(a.subject)} ${a.startedAt - T0}`)).toEqual(
      [],
    );
    // wave 2 hits the campaign website with a SYN flood and reflection: a critical target
    // alert names it and its vectors, in each loop
    const web = all.filter(
      (a) =>
        a.severity === 'critical' &&
        a.subject.destination === '203.0.113.10' &&
        scenario.phaseAt(a.startedAt) === 'wave2',
    );
    expect(web.length).toBeGreaterThanOrEqual(3);
    const vectors = web[0]?.explanation?.vectors.map((v) => v.key) ?? [];
    expect(vectors).toContain('tcp-syn');
    expect(vectors.some((v) => v.startsWith('udp-amp-'))).toBe(true);
    const shares = web[0]?.explanation?.vectors.map((v) => v.share ?? 0) ?? [];
    expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.000001);
  }, 120_000);
});
