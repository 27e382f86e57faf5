import type { DRILL_DIMENSIONS } from '@surgewatch/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './aggregator.js';
import { T0, testAggregator as make, testFlow as flow, testKeys as keys } from './testing.js';

const rows = (r: { groups: { key: string; bytes: number; packets: number; flows: number }[] }) =>
  r.groups.map((g) => [g.key, g.bytes, g.packets, g.flows]);

describe('Aggregator.drill', () => {
  function attack() {
    const a = make();
    // Russia: two networks, two targets, two vectors; Brazil alongside, never mixed in
    a.add(flow(T0, '77.88.8.1', 1000, 10), keys('RU', { asn: 'AS12389', vector: 'udp-amp-dns' }));
    a.add(flow(T0, '77.88.8.2', 600, 6), keys('RU', { asn: 'AS12389', vector: 'udp-amp-dns' }));
    a.add(
      flow(T0 + 1000, '5.5.5.5', 400, 4),
      keys('RU', { asn: 'AS8359', destination: '203.0.113.20', vector: 'tcp-syn' }),
    );
    a.add(flow(T0, '200.1.1.1', 9000, 90), keys('BR', { asn: 'AS28573' }));
    return a;
  }

  it('breaks one country down by its networks, targets, services and vectors, exactly', () => {
    const a = attack();
    const by = (d: (typeof DRILL_DIMENSIONS)[number]) =>
      a.drill(T0, T0 + 2000, 1000, 'RU', d, 'bps', 10);
    const asn = by('asn');
    expect(asn.totals).toEqual({ bytes: 2000, packets: 20, flows: 3 });
    expect(rows(asn)).toEqual([
      ['AS12389', 1600, 16, 2],
      ['AS8359', 400, 4, 1],
    ]);
    expect(asn.groups[0]!.series).toEqual([12_800, 0]);
    expect(asn.groups[1]!.series).toEqual([0, 3200]);
    expect(rows(by('destination'))).toEqual([
      ['203.0.113.10', 1600, 16, 2],
      ['203.0.113.20', 400, 4, 1],
    ]);
    expect(rows(by('vector'))).toEqual([
      ['udp-amp-dns', 1600, 16, 2],
      ['tcp-syn', 400, 4, 1],
    ]);
    expect(rows(by('service'))).toEqual([['web', 2000, 20, 3]]);
    expect(a.drill(T0, T0 + 2000, 1000, 'FR', 'asn', 'bps', 10).groups).toEqual([]);
  });

  it('spreads a long flow over its seconds in every pair, each second its share, exactly', () => {
    const a = make();
    // 3 s of Russia (1000 bytes over T0..T0+2000), with a Brazilian flow between its seconds
    a.add(
      flow(T0 + 2500, '77.88.8.1', 1000, 7, T0),
      keys('RU', { asn: 'AS12389', vector: 'udp-amp-dns' }),
    );
    a.add(flow(T0 + 1000, '200.1.1.1', 90, 9), keys('BR', { asn: 'AS28573' }));
    const ruKey = {
      asn: 'AS12389',
      destination: '203.0.113.10',
      service: 'web',
      vector: 'udp-amp-dns',
    };
    for (const d of ['asn', 'destination', 'service', 'vector'] as const) {
      const ru = a.drill(T0, T0 + 3000, 1000, 'RU', d, 'bps', 10);
      expect(ru.groups.map((g) => g.key)).toEqual([ruKey[d]]);
      // 1000 over 3 seconds: 334 + 333 + 333 bytes, 3 + 2 + 2 packets; the flow counts once, at its end
      expect(ru.totals).toEqual({ bytes: 1000, packets: 7, flows: 1 });
      expect(ru.groups[0]!.series).toEqual([334 * 8, 333 * 8, 333 * 8]);
      const br = a.drill(T0, T0 + 3000, 1000, 'BR', d, 'bps', 10);
      expect(br.totals).toEqual({ bytes: 90, packets: 9, flows: 1 });
      expect(br.groups[0]!.series).toEqual([0, 720, 0]);
    }
  });

  it("names a country's heaviest source addresses, never more than the country sent", () => {
    const a = attack();
    const r = a.drill(T0, T0 + 2000, 1000, 'RU', 'source', 'bps', 10);
    expect(r.totals).toEqual({ bytes: 2000, packets: 20, flows: 3 });
    expect(r.groups.map((g) => [g.key, g.bytes])).toEqual([
      ['77.88.8.1', 1000],
      ['77.88.8.2', 600],
      ['5.5.5.5', 400],
      // sources carry bytes only: the packets and flows stay with "other"
      ['other', 0],
    ]);
    expect(r.groups[3]).toMatchObject({ packets: 20, flows: 3 });
  });

  it('keeps the top N and sums the rest and what sealing folded away into "other"', () => {
    const a = make({
      limits: { ...DEFAULT_LIMITS, keys: { ...DEFAULT_LIMITS.keys, 'country.asn': 2 } },
    });
    for (let i = 0; i < 5; i++) {
      a.add(flow(T0, `77.88.8.${i}`, (i + 1) * 100, 1), keys('RU', { asn: `AS${i}` }));
    }
    a.add(flow(T0, '200.1.1.1', 5000, 1), keys('BR', { asn: 'AS28573' }));
    a.advance(T0 + 20_000);
    // sealed with room for two pair keys: BR's and RU's heaviest; the rest became "other"
    const r = a.drill(T0, T0 + 1000, 1000, 'RU', 'asn', 'bps', 10);
    expect(r.totals).toEqual({ bytes: 1500, packets: 5, flows: 5 });
    expect(rows(r)).toEqual([
      ['AS4', 500, 1, 1],
      ['other', 1000, 4, 4],
    ]);
    expect(r.groups[1]!.series).toEqual([8000]);
  });

  it('reaches back into the minute rollups', () => {
    const a = make({ retentionMs: 60_000 });
    a.add(flow(T0 + 5_000, '77.88.8.1', 700, 7), keys('RU', { vector: 'udp-amp-ntp' }));
    a.advance(T0 + 200_000);
    expect(a.getStats().rollups).toBe(1);
    const r = a.drill(T0, T0 + 120_000, 60_000, 'RU', 'vector', 'bps', 10);
    expect(rows(r)).toEqual([['udp-amp-ntp', 700, 7, 1]]);
  });

  it('the groups always add up to the country (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            c: fc.constantFrom('RU', 'BR', 'CN'),
            asn: fc.integer({ min: 0, max: 30 }),
            bytes: fc.integer({ min: 1, max: 10_000 }),
            dt: fc.integer({ min: 0, max: 5_999 }),
          }),
          { maxLength: 200 },
        ),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        (flows, top, sealFirst) => {
          const a = make({
            limits: { ...DEFAULT_LIMITS, keys: { ...DEFAULT_LIMITS.keys, 'country.asn': 5 } },
          });
          let want = 0;
          for (const f of flows) {
            a.add(flow(T0 + f.dt, '10.0.0.1', f.bytes, 1), keys(f.c, { asn: `AS${f.asn}` }));
            if (f.c === 'RU') want += f.bytes;
          }
          if (sealFirst) a.advance(T0 + 30_000);
          const r = a.drill(T0, T0 + 6000, 1000, 'RU', 'asn', 'bps', top);
          const sum = r.groups.reduce((s, g) => s + g.bytes, 0);
          const perStep = r.times.map((_, i) => r.groups.reduce((s, g) => s + g.series[i]!, 0));
          expect(r.totals.bytes).toBe(want);
          expect(sum).toBe(want);
          expect(perStep.reduce((s, v) => s + v, 0)).toBe(want * 8);
          expect(r.groups.filter((g) => g.key !== 'other').length).toBeLessThanOrEqual(top);
        },
      ),
    );
  });
});
