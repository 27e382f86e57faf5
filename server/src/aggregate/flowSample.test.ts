import type { Flow } from '@surgewatch/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlowKeys } from '../flow.js';
import type { Bucket } from './bucket.js';
import { FlowSample, flowHash, priorityOf, type SampledFlow } from './flowSample.js';
import { hash32 } from './hash.js';
import { encodePartialJson, encodePartials, mergePartial } from './partial.js';
import { T0, testAggregator, testFlow, testKeys } from './testing.js';

const KEYS = testKeys('RU');

function flow(i: number, bytes: number, extra: Partial<Flow> = {}): Flow {
  return {
    ...testFlow(T0 + (i % 1000), `198.51.${(i >> 8) & 255}.${i & 255}`, bytes, 1 + (i % 7)),
    sport: 1024 + i,
    ...extra,
  };
}

function offerAll(s: FlowSample, flows: readonly Flow[], seed?: number, keys = KEYS): FlowSample {
  for (const f of flows) s.offer(f, f.bytes, f.packets, hashOf(f, seed), keys);
  return s;
}

function hashOf(f: Flow, seed?: number): number {
  return flowHash(f, f.end - (f.end % 1000), hash32(f.src), seed);
}

/** Everything a sample holds, in a canonical order, and its threshold. */
function canon(s: FlowSample): { tau: number; held: unknown[] } {
  const j = s.toJSON();
  const held = j.rows
    .map(([src, sport, dport, proto, bytes, packets, hash, ki]) => [
      hash,
      src,
      sport,
      dport,
      proto,
      bytes,
      packets,
      ...(j.keys[ki] as string[]),
    ])
    .sort(
      (a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1])),
    );
  return { tau: s.threshold(), held };
}

function estimates(s: FlowSample): Map<string, number> {
  const m = new Map<string, number>();
  s.forEach((f, est) => m.set(`${f.src}:${f.sport}`, est));
  return m;
}

describe('FlowSample (priority sampling)', () => {
  it('holds every flow exactly while at most k were offered', () => {
    const flows = Array.from({ length: 50 }, (_, i) => flow(i, 100 + i * 37));
    const s = offerAll(new FlowSample(50), flows);
    expect(s.size).toBe(50);
    expect(s.threshold()).toBe(0);
    const est = estimates(s);
    for (const f of flows) expect(est.get(`${f.src}:${f.sport}`)).toBe(f.bytes);
    let sum = 0;
    s.forEach((_f, e) => (sum += e));
    expect(sum).toBe(flows.reduce((a, f) => a + f.bytes, 0));
  });

  it('keeps the k highest priorities and the (k+1)-th as τ; estimates are max(bytes, τ)', () => {
    const flows = Array.from({ length: 500 }, (_, i) => flow(i, 1 + ((i * 7919) % 5000)));
    const k = 20;
    const s = offerAll(new FlowSample(k), flows);
    const pri = flows
      .map((f) => ({ f, p: priorityOf(f.bytes, hashOf(f)) }))
      .sort((a, b) => b.p - a.p);
    const tau = (pri[k] as { p: number }).p;
    expect(s.size).toBe(k + 1);
    expect(s.threshold()).toBe(tau);
    const est = estimates(s);
    expect(est.size).toBe(k);
    for (const { f } of pri.slice(0, k))
      expect(est.get(`${f.src}:${f.sport}`)).toBe(Math.max(f.bytes, tau));
  });

  it('ignores flows without bytes', () => {
    const s = offerAll(new FlowSample(4), [flow(1, 0), flow(2, 10)]);
    expect(s.size).toBe(1);
  });

  it('merging samples equals sampling the union, in any split and order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 3 })), {
          maxLength: 120,
        }),
        fc.integer({ min: 0, max: 12 }),
        fc.boolean(),
        (spec, k, reverse) => {
          // duplicates of a weight and identical records included: ties must not matter
          const flows = spec.map(([bytes], i) => flow(i % 90, bytes));
          const direct = offerAll(new FlowSample(k), flows);
          const parts = [0, 1, 2, 3].map((p) =>
            offerAll(
              new FlowSample(k),
              flows.filter((_f, i) => (spec[i] as [number, number])[1] === p),
            ),
          );
          const merged = new FlowSample(k);
          for (const p of reverse ? parts.reverse() : parts) merged.merge(p);
          expect(canon(merged)).toEqual(canon(direct));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('shrinking to a smaller k equals sampling with it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1e5 }), { maxLength: 100 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (bytes, k1, k2) => {
          const flows = bytes.map((b, i) => flow(i, b));
          const big = offerAll(new FlowSample(Math.max(k1, k2)), flows);
          big.shrink(Math.min(k1, k2));
          expect(canon(big)).toEqual(canon(offerAll(new FlowSample(Math.min(k1, k2)), flows)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('merges a smaller sample into a larger one as the smaller k would sample the union', () => {
    const flows = Array.from({ length: 200 }, (_, i) => flow(i, 10 + ((i * 7919) % 900)));
    const big = offerAll(new FlowSample(50), flows.slice(0, 100));
    big.merge(offerAll(new FlowSample(10), flows.slice(100)));
    expect(big.k).toBe(10);
    expect(canon(big)).toEqual(canon(offerAll(new FlowSample(10), flows)));
  });

  it('is unbiased: subset estimates average to the true sum over many hash seeds', () => {
    // heavy-tailed weights: a few elephants, many mice; the subset is every 3rd flow
    const n = 400;
    const flows = Array.from({ length: n }, (_, i) =>
      flow(i, Math.round(40 + 1e6 / (1 + ((i * 7919) % n)) ** 1.3)),
    );
    const inSubset = (f: SampledFlow | Flow) => f.sport % 3 === 0;
    const truth = flows.filter(inSubset).reduce((a, f) => a + f.bytes, 0);
    const total = flows.reduce((a, f) => a + f.bytes, 0);
    const seeds = 3000;
    let sum = 0;
    let sumSq = 0;
    let totalSum = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const s = offerAll(new FlowSample(16), flows, seed);
      let est = 0;
      let all = 0;
      s.forEach((f, e) => {
        all += e;
        if (inSubset(f)) est += e;
      });
      sum += est;
      sumSq += est * est;
      totalSum += all;
    }
    const mean = sum / seeds;
    const sd = Math.sqrt(sumSq / seeds - mean * mean);
    const stderr = sd / Math.sqrt(seeds);
    // deterministic (the seeds are fixed), and 6 standard errors wide besides
    expect(Math.abs(mean - truth)).toBeLessThan(6 * stderr);
    expect(Math.abs(mean - truth) / truth).toBeLessThan(0.03);
    expect(Math.abs(totalSum / seeds - total) / total).toBeLessThan(0.02);
  });

  it('round-trips through JSON with the same flows, keys and threshold', () => {
    const flows = Array.from({ length: 300 }, (_, i) => flow(i, 100 + ((i * 31) % 977)));
    const s = new FlowSample(40);
    flows.forEach((f, i) =>
      s.offer(f, f.bytes, f.packets, hashOf(f), testKeys(i % 2 ? 'RU' : 'BR', { vector: 'udp' })),
    );
    const back = FlowSample.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
    expect(canon(back)).toEqual(canon(s));
    expect(back.k).toBe(40);
    expect(() =>
      FlowSample.fromJSON({ k: 1, keys: [], rows: [['x', 1, 1, 6, 1, 1, 1, 0]] }),
    ).toThrow(/bad row/);
  });

  it('hashes deterministically, to 53 bits, and differently per second of a spread flow', () => {
    const f = flow(1, 1000);
    const h = hashOf(f);
    expect(hashOf({ ...f })).toBe(h);
    expect(Number.isSafeInteger(h) && h >= 0 && h < 2 ** 53).toBe(true);
    expect(flowHash(f, T0 - 1000, hash32(f.src))).not.toBe(flowHash(f, T0, hash32(f.src)));
    expect(hashOf({ ...f, dport: 444 })).not.toBe(h);
  });
});

describe('flow samples in the aggregator', () => {
  const keysFor = (i: number): FlowKeys =>
    testKeys(i % 3 ? 'RU' : 'BR', { vector: i % 2 ? 'udp-amp-dns' : 'tcp-syn' });

  it('offers each flow once, in the second it ends; estimates add up to the second', () => {
    const agg = testAggregator();
    const delta = agg.createDelta();
    for (let i = 0; i < 100; i++) delta.add(flow(i, 1000 + i), keysFor(i));
    agg.merge(delta);
    const s = agg.flowSample(T0);
    expect(s?.size).toBe(100);
    let sum = 0;
    s?.forEach((_f, e) => (sum += e));
    expect(sum).toBe(agg.point(T0, 1).total.bps / 8);
  });

  it('gives a spread flow’s share to each second it covers', () => {
    const agg = testAggregator();
    agg.add(testFlow(T0 + 2500, '192.0.2.1', 3000, 3, T0), testKeys('RU'));
    for (const t of [T0, T0 + 1000, T0 + 2000]) {
      let bytes = 0;
      agg.flowSample(t)?.forEach((f) => (bytes += f.bytes));
      expect(bytes).toBe(agg.point(t, 1).total.bps / 8);
      expect(bytes).toBeGreaterThan(0);
    }
  });

  it('merging deltas from several instances gives the sample of all their flows', () => {
    const flows = Array.from({ length: 2000 }, (_, i) => flow(i, 50 + ((i * 7919) % 3000)));
    const one = testAggregator();
    for (let i = 0; i < flows.length; i++) one.add(flows[i] as Flow, keysFor(i));
    const many = testAggregator();
    for (let part = 0; part < 3; part++) {
      const d = many.createDelta();
      for (let i = part; i < flows.length; i += 3) d.add(flows[i] as Flow, keysFor(i));
      // through the wire, as another instance's partials
      for (const p of encodePartials(d, `i${part}`)) mergePartial(p.value, many);
    }
    const a = one.flowSample(T0) as FlowSample;
    expect(a.size).toBe(257);
    expect(canon(many.flowSample(T0) as FlowSample)).toEqual(canon(a));
  });

  it('leaves out of a partial the flows below the live sample’s threshold, changing nothing', () => {
    const flows = Array.from({ length: 3000 }, (_, i) => flow(i, 50 + ((i * 7919) % 3000)));
    const one = testAggregator();
    for (let i = 0; i < flows.length; i++) one.add(flows[i] as Flow, keysFor(i));
    const live = testAggregator();
    const sizes: number[] = [];
    for (const [from, to] of [
      [0, 2000],
      [2000, 2500],
      [2500, 3000],
    ] as const) {
      // each delta is made once the one before is in: the live sample is full by then
      const d = live.createDelta();
      for (let i = from; i < to; i++) d.add(flows[i] as Flow, keysFor(i));
      for (const p of encodePartials(d, 'a')) {
        const probe = testAggregator();
        mergePartial(p.value, probe);
        sizes.push(probe.flowSample(T0)?.size ?? 0);
        mergePartial(p.value, live);
      }
    }
    expect(sizes[0]).toBe(257);
    // about 257 × 500 / 2,000 and 257 × 500 / 2,500 of the 257 each would hold
    expect(sizes[1]).toBeLessThan(120);
    expect(sizes[2]).toBeLessThan(120);
    expect(canon(live.flowSample(T0) as FlowSample)).toEqual(
      canon(one.flowSample(T0) as FlowSample),
    );
  });

  it('keeps a smaller sample once sealed, none past its age, and late flows still count', () => {
    const agg = testAggregator({ sample: { open: 64, sealed: 8, keepMs: 60_000 } });
    for (let i = 0; i < 500; i++) agg.add(flow(i, 100 + i), keysFor(i));
    const before = canon(agg.flowSample(T0) as FlowSample);
    agg.advance(T0 + 20_000);
    const sealed = agg.flowSample(T0) as FlowSample;
    expect(sealed.size).toBe(9);
    const direct = new FlowSample(8);
    for (let i = 0; i < 500; i++) {
      const f = flow(i, 100 + i);
      direct.offer(f, f.bytes, f.packets, hashOf(f), keysFor(i));
    }
    expect(canon(sealed)).toEqual(canon(direct));
    expect(before.held).toHaveLength(65);
    // a late flow into the sealed second is offered to its (smaller) sample
    agg.add(flow(9999, 1e12), keysFor(1));
    let found = false;
    agg.flowSample(T0)?.forEach((f) => (found ||= f.bytes === 1e12));
    expect(found).toBe(true);
    agg.advance(T0 + 61_000);
    expect(agg.flowSample(T0)).toBeNull();
    agg.add(flow(1, 5), keysFor(1));
    expect(agg.flowSample(T0)).toBeNull();
  });

  it('reads a partial without a sample (an older instance) and one with', () => {
    const src = testAggregator();
    const d = src.createDelta();
    d.add(flow(1, 700), keysFor(1));
    // an older release's JSON partial of the same second, without its sample
    const old = encodePartialJson(d.getBucket(T0) as Bucket, 'old');
    const [p] = encodePartials(d, 'new');
    const json = JSON.parse(old.toString()) as Record<string, unknown>;
    expect(json.v).toBe(1);
    expect(json.f).toBeDefined();
    delete json.f;
    const into = testAggregator();
    mergePartial(JSON.stringify(json), into);
    expect(into.point(T0, 1).total.bps).toBe(5600);
    expect(into.flowSample(T0)).toBeNull();
    mergePartial((p as { value: Buffer }).value, into);
    expect(into.flowSample(T0)?.size).toBe(1);
  });
});
