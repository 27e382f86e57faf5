import { AGG_DIMENSIONS, DIMENSIONS, OTHER_KEY } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Aggregator } from './aggregator.js';
import type { Bucket } from './bucket.js';
import {
  encodePartialJson,
  encodePartials,
  mergePartial,
  PARTIAL_KEYS_FACTOR,
  PartialError,
} from './partial.js';
import { T0, testAggregator, testFlow, testKeys } from './testing.js';

/** Everything a second shows, per dimension and for its sample. */
function viewOf(a: Aggregator, t: number) {
  const out: Record<string, unknown> = { point: a.point(t, 50) };
  for (const d of DIMENSIONS) {
    out[d] = a.top(t, d, 1000);
    for (const e of a.top(t, d, 1000)) out[`${d}/${e.key}`] = a.topSources(t, d, e.key);
  }
  for (const d of AGG_DIMENSIONS)
    out[`range ${d}`] = a.range(t, t + 1000, 1000, d as never, 'bps', 1000);
  const sample: unknown[] = [];
  a.flowSample(t)?.forEach((f, est) => sample.push([f.src, f.sport, f.hash, f.country, est]));
  out.sample = sample.sort(
    (x, y) => ((x as number[])[2] as number) - ((y as number[])[2] as number),
  );
  return out;
}

describe('partials', () => {
  it('round-trip a delta exactly: counters, distinct and top sources, every dimension', () => {
    const live = testAggregator();
    const delta = live.createDelta();
    for (let i = 0; i < 200; i++) {
      delta.add(
        testFlow(
          T0 + (i % 3) * 1000 + 10,
          `198.51.100.${i % 70}`,
          100 + i,
          1 + (i % 4),
          T0 + (i % 3) * 1000,
        ),
        testKeys(i % 2 ? 'RU' : 'BR', { vector: i % 5 ? 'tcp-syn' : 'udp-amp-dns' }),
      );
    }
    const parts = encodePartials(delta, 'instance-a');
    expect(parts.map((p) => p.t)).toEqual([T0, T0 + 1000, T0 + 2000]);

    const restored = testAggregator();
    let flows = 0;
    for (const p of parts) {
      const h = mergePartial(p.value, restored);
      expect(h.instance).toBe('instance-a');
      flows += h.flows;
    }
    expect(flows).toBe(200);
    const direct = testAggregator();
    direct.merge(delta);
    for (const by of DIMENSIONS) {
      expect(restored.range(T0, T0 + 3000, 1000, by, 'bps', 100)).toEqual(
        direct.range(T0, T0 + 3000, 1000, by, 'bps', 100),
      );
    }
    for (const t of [T0, T0 + 1000, T0 + 2000]) {
      expect(restored.point(t, 5)).toEqual(direct.point(t, 5));
      expect(restored.top(t, 'country', 2)).toEqual(direct.top(t, 'country', 2));
      expect(restored.topSources(t, 'vector', 'tcp-syn')).toEqual(
        direct.topSources(t, 'vector', 'tcp-syn'),
      );
    }
    expect(restored.getStats().flows).toBe(200);
  });

  it('merging two instances’ partials adds their counters', () => {
    const live = testAggregator();
    const a = live.createDelta();
    const b = live.createDelta();
    a.add(testFlow(T0, '1.1.1.1', 100, 1), testKeys('AU'));
    b.add(testFlow(T0, '1.1.1.1', 50, 2), testKeys('AU'));
    const into = testAggregator();
    for (const p of [...encodePartials(a, 'a'), ...encodePartials(b, 'b')])
      mergePartial(p.value, into);
    expect(into.range(T0, T0 + 1000, 1000, 'country', 'bps', 5).groups[0]).toMatchObject({
      key: 'AU',
      bytes: 150,
      packets: 3,
      flows: 2,
    });
    expect(into.point(T0, 5).sources).toBe(1);
  });

  it('rejects what is not a partial, clearly', () => {
    const into = testAggregator();
    expect(() => mergePartial('not json', into)).toThrow(PartialError);
    expect(() => mergePartial('{"v":99}', into)).toThrow(/version-1 partial/);
  });

  it('are binary (version 2), and an earlier release’s JSON partial of the same delta reads the same', () => {
    const live = testAggregator();
    const delta = live.createDelta();
    for (let i = 0; i < 300; i++) {
      const src =
        i % 11 === 0
          ? `2001:db8::${i.toString(16)}`
          : i % 13 === 0
            ? `010.0.0.${i}`
            : `203.0.${i % 7}.${i}`;
      delta.add(
        testFlow(T0 + 10, src, 100 + i * 1.5, 1 + (i % 4)),
        testKeys(['RU', 'BR', 'DE'][i % 3] as string, { asn: `AS${i % 40}` }),
      );
    }
    const bucket = delta.getBucket(T0) as Bucket;
    const json = encodePartialJson(bucket, 'old');
    const [bin] = encodePartials(delta, 'new');
    const value = (bin as { value: Buffer }).value;
    expect([...value.subarray(0, 3)]).toEqual([0x53, 0x57, 2]);
    expect(value.length).toBeLessThan(json.length / 2);
    const fromJson = testAggregator();
    const fromBinary = testAggregator();
    expect(mergePartial(json, fromJson)).toEqual({ instance: 'old', t: T0, flows: 300 });
    expect(mergePartial(value, fromBinary)).toEqual({ instance: 'new', t: T0, flows: 300 });
    expect(viewOf(fromBinary, T0)).toEqual(viewOf(fromJson, T0));
    expect(fromBinary.topSources(T0, 'country', 'RU').length).toBeGreaterThan(0);
  });

  it('cap each dimension at the keys a sealed second keeps, summing the rest into other', () => {
    const limits = {
      ...DEFAULT_LIMITS,
      keys: { ...DEFAULT_LIMITS.keys, asn: 3, 'country.asn': 2 },
    };
    const live = testAggregator({ limits });
    const delta = live.createDelta();
    for (let i = 0; i < 100; i++) {
      delta.add(testFlow(T0, `198.51.100.${i}`, 1000 - i, 1), testKeys('RU', { asn: `AS${i}` }));
    }
    const [p] = encodePartials(delta, 'a');
    const into = testAggregator({ limits });
    mergePartial((p as { value: Buffer }).value, into);
    const asns = into.range(T0, T0 + 1000, 1000, 'asn', 'bps', 100);
    expect(asns.groups.map((g) => g.key)).toEqual([
      ...Array.from({ length: 3 * PARTIAL_KEYS_FACTOR - 1 }, (_, i) => `AS${i}`),
      OTHER_KEY,
    ]);
    expect(asns.groups.reduce((n, g) => n + g.bytes, 0)).toBe(asns.totals.bytes);
    expect(asns.groups.at(-1)).toMatchObject({ flows: 100 - (3 * PARTIAL_KEYS_FACTOR - 1) });
    // 98 sources: past the exact list, an estimate
    const other = into.top(T0, 'asn', 10).find((e) => e.key === OTHER_KEY);
    const folded = 100 - (3 * PARTIAL_KEYS_FACTOR - 1);
    expect(Math.abs((other?.sources ?? 0) - folded)).toBeLessThanOrEqual(3);
    const pairs = into.drill(T0, T0 + 1000, 1000, 'RU', 'asn', 'bps', 100);
    expect(pairs.groups).toHaveLength(2 * PARTIAL_KEYS_FACTOR);
    // the delta was capped in place: merged as it is, it shows what its partial shows
    const direct = testAggregator({ limits });
    direct.merge(delta);
    expect(viewOf(direct, T0)).toEqual(viewOf(into, T0));
  });

  it('rejects a damaged binary partial, clearly', () => {
    const live = testAggregator();
    const delta = live.createDelta();
    delta.add(testFlow(T0, '1.1.1.1', 100, 1), testKeys('AU'));
    const [p] = encodePartials(delta, 'a');
    const value = (p as { value: Buffer }).value;
    const into = testAggregator();
    expect(() => mergePartial(value.subarray(0, value.length - 5), into)).toThrow(PartialError);
    expect(() => mergePartial(Buffer.from([0x53, 0x57, 9]), into)).toThrow(/version 9/);
    expect(into.getStats().flows).toBe(0);
  });

  it('carry only what a sealed second takes in for a second sealed before the delta was made', () => {
    const live = testAggregator({}, T0);
    live.advance(T0 + 60_000); // T0 sealed long ago, T0 + 59 s open
    const delta = live.createDelta();
    for (let i = 0; i < 400; i++) {
      for (const t of [T0, T0 + 59_000])
        delta.add(
          testFlow(t + 10, `198.51.100.${i % 90}`, 100 + i, 1),
          testKeys(i % 2 ? 'RU' : 'BR'),
        );
    }
    const [old, recent] = encodePartials(delta, 'a').map((p) => p.value);
    expect((old as Buffer).length).toBeLessThan((recent as Buffer).length / 4);
    const into = testAggregator({}, T0);
    into.advance(T0 + 60_000);
    mergePartial(old as Buffer, into);
    mergePartial(recent as Buffer, into);
    // counters exact in both; the sealed one keeps its smaller sample, no top sources
    for (const t of [T0, T0 + 59_000]) {
      expect(into.range(t, t + 1000, 1000, 'country', 'bps', 5).totals).toMatchObject({
        flows: 400,
      });
    }
    expect(into.flowSample(T0)?.size).toBe(33);
    expect(into.flowSample(T0 + 59_000)?.size).toBe(257);
    expect(into.topSources(T0, 'country', 'RU')).toEqual([]);
    expect(into.topSources(T0 + 59_000, 'country', 'RU')).toHaveLength(8);
    expect(into.point(T0, 5).sources).toBe(90);
  });

  it('write a sketch equal to one before it as a reference to it', () => {
    // no flow sample to speak of: the sketches are most of the partial
    const live = testAggregator({ sample: { open: 0, sealed: 0, keepMs: 900_000 } });
    const delta = live.createDelta();
    // 500 sources, every one in the same country, network, protocol, vector…
    for (let i = 0; i < 500; i++)
      delta.add(testFlow(T0, `198.51.${i >> 8}.${i & 255}`, 100, 1), testKeys('RU'));
    const one = (delta.getBucket(T0) as Bucket).sources.toBytes().length;
    const [p] = encodePartials(delta, 'a');
    const value = (p as { value: Buffer }).value;
    // 9 equal sketches (the second's and one per dimension), 8 of them a few bytes each: with
    // every one written out it would be over 9 × one
    expect(value.length).toBeLessThan(4 * one + 600);
    const into = testAggregator({ sample: { open: 0, sealed: 0, keepMs: 900_000 } });
    mergePartial(value, into);
    const direct = testAggregator({ sample: { open: 0, sealed: 0, keepMs: 900_000 } });
    direct.merge(delta);
    expect(viewOf(into, T0)).toEqual(viewOf(direct, T0));
    expect(into.top(T0, 'vector', 1)[0]?.sources).toBe(into.point(T0, 1).sources);
  });
});
