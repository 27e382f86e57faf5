import { DIMENSIONS, DRILL_DIMENSIONS } from '@surgewatch/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T0, testAggregator as make, testFlow as flow, testKeys as keys } from './testing.js';

describe('Aggregator', () => {
  it('sums bytes, packets and flows per second and per country', () => {
    const a = make();
    a.add(flow(T0 + 100, '1.1.1.1', 1000, 2), keys('AU'));
    a.add(flow(T0 + 900, '77.88.8.8', 500, 1), keys('RU'));
    a.add(flow(T0 + 1500, '77.88.8.8', 300, 1), keys('RU'));
    const p = a.point(T0, 10);
    expect(p.total).toEqual({ bps: 12_000, pps: 3, fps: 2 });
    expect(p.sources).toBe(2);
    expect(p.countries).toEqual([
      { key: 'AU', bps: 8000, pps: 2, fps: 1 },
      { key: 'RU', bps: 4000, pps: 1, fps: 1 },
    ]);
    const r = a.range(T0, T0 + 2000, 1000, 'country', 'bps', 10);
    expect(r.totals).toEqual({ bytes: 1800, packets: 4, flows: 3 });
    expect(r.groups.map((g) => [g.key, g.bytes, g.packets, g.flows])).toEqual([
      ['AU', 1000, 2, 1],
      ['RU', 800, 2, 2],
    ]);
    expect(r.groups[1]!.series).toEqual([4000, 2400]);
  });

  it('groups by every dimension', () => {
    const a = make();
    a.add(
      flow(T0, '1.1.1.1', 1000, 2),
      keys('AU', { vector: 'tcp-syn', protocol: 'TCP', destination: '203.0.113.30' }),
    );
    a.add(flow(T0, '77.88.8.8', 500, 1), keys('RU', { vector: 'udp-amp-dns', protocol: 'UDP' }));
    const r = (by: (typeof DIMENSIONS)[number]) =>
      a.range(T0, T0 + 1000, 1000, by, 'bps', 10).groups.map((g) => [g.key, g.bytes]);
    expect(r('vector')).toEqual([
      ['tcp-syn', 1000],
      ['udp-amp-dns', 500],
    ]);
    expect(r('protocol')).toEqual([
      ['TCP', 1000],
      ['UDP', 500],
    ]);
    expect(r('destination')).toEqual([
      ['203.0.113.30', 1000],
      ['203.0.113.10', 500],
    ]);
    expect(r('region')).toEqual([
      ['AU-region', 1000],
      ['RU-region', 500],
    ]);
  });

  it('keeps the top N countries and sums the rest into "other"', () => {
    const a = make();
    ['A', 'B', 'C', 'D', 'E'].forEach((cc, i) =>
      a.add(flow(T0, `10.0.0.${i}`, (i + 1) * 100, 1), keys(cc)),
    );
    expect(a.point(T0, 2).countries).toEqual([
      { key: 'E', bps: 4000, pps: 1, fps: 1 },
      { key: 'D', bps: 3200, pps: 1, fps: 1 },
      { key: 'other', bps: 4800, pps: 3, fps: 3 },
    ]);
  });

  it('answers a range with the top groups and the rest as "other"', () => {
    const a = make();
    ['A', 'B', 'C', 'D'].forEach((cc, i) =>
      a.add(flow(T0, `10.0.0.${i}`, (i + 1) * 100, 1), keys(cc)),
    );
    const r = a.range(T0, T0 + 1000, 1000, 'country', 'pps', 2);
    expect(r.groups.map((g) => [g.key, g.bytes, g.flows, g.series])).toEqual([
      ['D', 400, 1, [1]],
      ['C', 300, 1, [1]],
      ['other', 300, 2, [2]],
    ]);
  });

  it('counts and drops flows that ended before the retention horizon', () => {
    const a = make();
    a.advance(T0 + 3_600_000 + 5000);
    expect(a.add(flow(T0 + 1000, '1.1.1.1', 100, 1), keys('AU'))).toBe(false);
    expect(a.add(flow(T0 + 10_000, '1.1.1.1', 100, 1), keys('AU'))).toBe(true);
    expect(a.getStats()).toMatchObject({ late: 1, flows: 1 });
  });

  it('moves seconds past retention into minute rollups that still answer ranges exactly', () => {
    const a = make();
    a.add(flow(T0 + 1000, '1.1.1.1', 100, 1), keys('AU'));
    a.add(flow(T0 + 59_000, '1.1.1.2', 50, 1), keys('RU'));
    a.add(flow(T0 + 61_000, '1.1.1.3', 10, 1), keys('RU'));
    a.advance(T0 + 3_600_000 + 65_000);
    expect(a.getStats()).toMatchObject({ buckets: 0, rollups: 2 });
    expect(a.point(T0 + 1000, 5).total.bps).toBe(0);
    const r = a.range(T0, T0 + 120_000, 60_000, 'country', 'bps', 10);
    expect(r.totals).toEqual({ bytes: 160, packets: 3, flows: 3 });
    expect(r.groups.map((g) => [g.key, g.bytes, g.series])).toEqual([
      ['AU', 100, [800 / 60, 0]],
      ['RU', 60, [400 / 60, 80 / 60]],
    ]);
    a.advance(T0 + 86_400_000 + 130_000);
    expect(a.getStats().rollups).toBe(0);
  });

  it('seals old seconds: keeps the heaviest keys, sums the rest into "other", stays exact, accepts late records', () => {
    const a = make({
      limits: {
        keys: {
          country: 3,
          region: 3,
          continent: 3,
          asn: 3,
          destination: 3,
          service: 3,
          protocol: 3,
          vector: 3,
          'country.asn': 3,
          'country.destination': 3,
          'country.service': 3,
          'country.vector': 3,
        },
        topsFor: 2,
      },
    });
    for (let i = 0; i < 10; i++) a.add(flow(T0, `10.0.0.${i}`, (i + 1) * 10, 1), keys(`C${i}`));
    a.advance(T0 + 20_000);
    const r = a.range(T0, T0 + 1000, 1000, 'country', 'bps', 100);
    expect(r.groups.map((g) => [g.key, g.bytes])).toEqual([
      ['C9', 100],
      ['C8', 90],
      ['C7', 80],
      ['other', 280],
    ]);
    // a late record for a key that was folded into "other" still counts exactly
    a.add(flow(T0 + 10, '10.0.0.99', 5, 1), keys('C0'));
    a.add(flow(T0 + 10, '10.0.0.98', 7, 1), keys('C9'));
    const r2 = a.range(T0, T0 + 1000, 1000, 'country', 'bps', 100);
    expect(r2.totals).toEqual({ bytes: 562, packets: 12, flows: 12 });
    expect(r2.groups.map((g) => [g.key, g.bytes])).toEqual([
      ['C9', 107],
      ['C8', 90],
      ['C7', 80],
      ['other', 285],
    ]);
  });

  it('keeps a late record’s own key in a sealed second while the dimension has room', () => {
    const a = make();
    a.add(flow(T0, '10.0.0.1', 100, 1), keys('DE'));
    a.advance(T0 + 20_000);
    // a catch-up after an outage: a country the second had not seen yet
    a.add(flow(T0 + 500, '77.88.8.8', 40, 2), keys('RU'));
    a.add(flow(T0 + 600, '77.88.8.9', 2, 1), keys('RU'));
    const r = a.range(T0, T0 + 1000, 1000, 'country', 'bps', 100);
    expect(r.groups.map((g) => [g.key, g.bytes, g.packets, g.flows])).toEqual([
      ['DE', 100, 1, 1],
      ['RU', 42, 3, 2],
    ]);
  });

  it('names the distinct and top sources of a key', () => {
    const a = make();
    for (let i = 0; i < 50; i++) a.add(flow(T0, `198.51.100.${i}`, 10, 1), keys('RU'));
    a.add(flow(T0, '77.88.8.8', 10_000, 10), keys('RU'));
    const [ru] = a.top(T0, 'country', 1);
    expect(ru!.key).toBe('RU');
    // past 48 sources the sketch turns dense: an estimate within a few percent
    expect(Math.abs(ru!.sources - 51)).toBeLessThanOrEqual(2);
    const [heaviest] = a.topSources(T0, 'country', 'RU');
    // Space-Saving: the estimate never undercounts and overcounts by at most its error
    expect(heaviest!.item).toBe('77.88.8.8');
    expect(heaviest!.weight - heaviest!.error).toBeLessThanOrEqual(10_000);
    expect(heaviest!.weight).toBeGreaterThanOrEqual(10_000);
  });

  it('averages the live top over a span of seconds, ranking by the span', () => {
    const a = make({}, T0 + 10_000);
    for (let s = 0; s < 5; s++) a.add(flow(T0 + s * 1000, '1.1.1.1', 1000, 2), keys('DE'));
    for (let i = 0; i < 3; i++) a.add(flow(T0 + 4000, `77.88.8.${i}`, 2000, 1), keys('RU'));
    const top = a.top(T0 + 4000, 'country', 5, { spanMs: 5000 });
    expect(top.map((e) => [e.key, e.bps, e.pps, e.fps, e.sources])).toEqual([
      ['RU', 9600, 0.6, 0.6, 3],
      ['DE', 8000, 2, 1, 1],
    ]);
    // the second alone: RU far ahead
    expect(a.top(T0 + 4000, 'country', 5).map((e) => [e.key, e.bps])).toEqual([
      ['RU', 48_000],
      ['DE', 8000],
    ]);
  });

  it('rates a key against its median over the previous minutes', () => {
    const a = make({}, T0 + 700_000);
    for (let s = 0; s < 600; s++)
      a.add(flow(T0 + 100_000 + s * 1000, '1.1.1.1', 1000, 1), keys('DE'));
    a.add(flow(T0 + 700_000, '1.1.1.1', 5000, 5), keys('DE'));
    a.add(flow(T0 + 700_000, '77.88.8.8', 500, 1), keys('RU'));
    const top = a.top(T0 + 700_000, 'country', 5);
    expect(top.find((e) => e.key === 'DE')!.ratio).toBe(5);
    // a source never seen before has no baseline
    expect(top.find((e) => e.key === 'RU')!.ratio).toBeNull();
  });

  const rowsArb = fc.array(
    fc.record({
      dt: fc.integer({ min: 0, max: 120_000 }),
      dur: fc.integer({ min: 0, max: 90_000 }),
      cc: fc.constantFrom('RU', 'BR', 'DE', 'US', 'unknown'),
      vec: fc.constantFrom('tcp-syn', 'udp-amp-dns', 'icmp', 'tcp'),
      src: fc.integer({ min: 0, max: 255 }),
      bytes: fc.integer({ min: 0, max: 10_000_000 }),
      packets: fc.integer({ min: 0, max: 10_000 }),
    }),
    { maxLength: 150 },
  );
  type Row = {
    dt: number;
    dur: number;
    cc: string;
    vec: string;
    src: number;
    bytes: number;
    packets: number;
  };
  const feed = (a: ReturnType<typeof make>, rows: Row[]) => {
    for (const r of rows) {
      a.add(
        flow(T0 + r.dt + r.dur, `192.0.2.${r.src}`, r.bytes, r.packets, T0 + r.dt),
        keys(r.cc, { vector: r.vec as never }),
      );
    }
  };

  it('conserves totals: the sum over any grouping equals the grand total equals the input', () => {
    fc.assert(
      fc.property(rowsArb, fc.boolean(), (rows, sealed) => {
        const a = make();
        feed(a, rows);
        if (sealed) a.advance(T0 + 400_000);
        const inBytes = rows.reduce((s, r) => s + r.bytes, 0);
        const inPackets = rows.reduce((s, r) => s + r.packets, 0);
        for (const by of DIMENSIONS) {
          const res = a.range(T0 - 1000, T0 + 300_000, 60_000, by, 'bps', 1000);
          expect(res.totals).toEqual({ bytes: inBytes, packets: inPackets, flows: rows.length });
          expect(res.groups.reduce((s, g) => s + g.bytes, 0)).toBe(inBytes);
          expect(res.groups.reduce((s, g) => s + g.packets, 0)).toBe(inPackets);
          expect(res.groups.reduce((s, g) => s + g.flows, 0)).toBe(rows.length);
        }
        // each country broken down by a pair dimension adds up to the country, and the
        // countries to the total
        for (const by of DRILL_DIMENSIONS) {
          let sum = 0;
          for (const cc of new Set(rows.map((r) => r.cc))) {
            const d = a.drill(T0 - 1000, T0 + 300_000, 60_000, cc, by, 'bps', 1000);
            expect(d.groups.reduce((s, g) => s + g.bytes, 0)).toBe(d.totals.bytes);
            expect(d.groups.reduce((s, g) => s + g.flows, 0)).toBe(d.totals.flows);
            sum += d.totals.bytes;
          }
          expect(sum).toBe(inBytes);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('merging partial aggregates equals aggregating the union', () => {
    fc.assert(
      fc.property(rowsArb, rowsArb, (left, right) => {
        const whole = make();
        feed(whole, [...left, ...right]);
        const merged = make();
        const d1 = merged.createDelta();
        feed(d1, left);
        const d2 = merged.createDelta();
        feed(d2, right);
        merged.merge(d1);
        merged.merge(d2);
        for (const by of DIMENSIONS) {
          const a = whole.range(T0 - 1000, T0 + 300_000, 1000, by, 'bps', 1000);
          const b = merged.range(T0 - 1000, T0 + 300_000, 1000, by, 'bps', 1000);
          expect(b.totals).toEqual(a.totals);
          const norm = (r: typeof a) =>
            r.groups.map((g) => [g.key, g.bytes, g.packets, g.flows]).sort();
          expect(norm(b)).toEqual(norm(a));
        }
        for (const t of whole.bucketTimes()) {
          expect(merged.point(t, 3)).toEqual(whole.point(t, 3));
        }
        for (const by of DRILL_DIMENSIONS) {
          for (const cc of new Set([...left, ...right].map((r) => r.cc))) {
            const a = whole.drill(T0 - 1000, T0 + 300_000, 1000, cc, by, 'bps', 1000);
            const b = merged.drill(T0 - 1000, T0 + 300_000, 1000, cc, by, 'bps', 1000);
            const norm = (r: typeof a) =>
              r.groups.map((g) => [g.key, g.bytes, g.packets, g.flows]).sort();
            expect(b.totals).toEqual(a.totals);
            expect(norm(b)).toEqual(norm(a));
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
