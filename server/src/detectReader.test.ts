import { describe, expect, it } from 'vitest';
import { T0, testAggregator, testFlow as flow, testKeys as keys } from './aggregate/testing.js';
import { createDetectReader } from './detectReader.js';
import type { Enricher } from './enrich/enricher.js';

/** Names are the keys; three known sources (a test double for the GeoIP tables). */
const PLACES: Record<string, [string, string]> = {
  '77.88.8.1': ['RU', 'AS12389'],
  '5.5.5.5': ['RU', 'AS8359'],
  '200.1.1.1': ['BR', 'AS28573'],
};
let placed = 0;
const enricher: Enricher = {
  keys: (f, out) => {
    placed++;
    const [country, asn] = PLACES[f.src] ?? ['unknown', 'unknown'];
    out.country = country;
    out.asn = asn;
  },
  name: (_d, key) => key,
};

describe('detect reader contributors', () => {
  const a = testAggregator();
  a.add(
    flow(T0, '77.88.8.1', 1000, 1),
    keys('RU', { asn: 'AS12389', vector: 'udp-amp-dns', destination: '203.0.113.10' }),
  );
  a.add(
    flow(T0, '5.5.5.5', 500, 1),
    keys('RU', { asn: 'AS8359', vector: 'tcp-syn', destination: '203.0.113.20' }),
  );
  a.add(
    flow(T0, '200.1.1.1', 300, 1),
    keys('BR', { asn: 'AS28573', vector: 'udp-amp-dns', destination: '203.0.113.10' }),
  );
  const reader = createDetectReader(a, enricher);
  const pairs = (xs: { key: string; bps: number }[]) => xs.map((x) => [x.key, x.bps]);

  it("names a country's networks and vectors exactly, enriching nothing", () => {
    const c = reader.contributors(T0, { dim: 'country', key: 'RU' });
    expect(pairs(c.countries)).toEqual([['RU', 12_000]]);
    expect(pairs(c.asns)).toEqual([
      ['AS12389', 8000],
      ['AS8359', 4000],
    ]);
    expect(pairs(c.vectors)).toEqual([
      ['udp-amp-dns', 8000],
      ['tcp-syn', 4000],
    ]);
    expect(pairs(c.sources)).toEqual([
      ['77.88.8.1', 8000],
      ['5.5.5.5', 4000],
    ]);
    expect(placed).toBe(0);
  });

  it("explains one country's traffic to one target with the country's senders", () => {
    const subject = { dim: 'country.destination' as const, key: 'RU\u001f203.0.113.10' };
    expect(reader.name(subject.dim, subject.key)).toBe('RU → 203.0.113.10');
    const c = reader.contributors(T0, subject);
    expect(pairs(c.countries)).toEqual([['RU', 8000]]);
    expect(pairs(c.asns)).toEqual([
      ['AS12389', 8000],
      ['AS8359', 4000],
    ]);
    expect(reader.series(T0, T0 + 2000, 'bps', subject)).toEqual([8000, 0]);
  });

  it('names the countries behind a target or a vector exactly', () => {
    const target = reader.contributors(T0, { dim: 'destination', key: '203.0.113.10' });
    expect(pairs(target.countries)).toEqual([
      ['RU', 8000],
      ['BR', 2400],
    ]);
    // no target × network pair: its networks come from its top sources, enriched
    expect(pairs(target.asns)).toEqual([
      ['AS12389', 8000],
      ['AS28573', 2400],
    ]);
    const vector = reader.contributors(T0, { dim: 'vector', key: 'udp-amp-dns' });
    expect(pairs(vector.countries)).toEqual([
      ['RU', 8000],
      ['BR', 2400],
    ]);
    expect(pairs(vector.vectors)).toEqual([['udp-amp-dns', 10_400]]);
  });
});

describe('detect reader minutes', () => {
  it('gives per-second means from the complete minute rollups, null where none is kept', () => {
    const a = testAggregator({ retentionMs: 60_000 });
    const m = T0 - (T0 % 60_000) + 60_000;
    a.advance(m);
    // 6,000 bytes from RU in the minute: 48,000 bits over 60 s
    for (let i = 0; i < 6; i++) a.add(flow(m + i * 1000, '77.88.8.1', 1000, 10), keys('RU'));
    a.add(flow(m + 1000, '200.1.1.1', 2000, 10), keys('BR'));
    // the next minute: traffic, none of it from RU
    a.add(flow(m + 61_000, '200.1.1.1', 2000, 10), keys('BR'));
    a.advance(m + 180_000);
    const reader = createDetectReader(a, enricher);
    const ru = { dim: 'country', key: 'RU' } as const;
    expect(reader.minutes?.(m - 60_000, m + 120_000, 'bps', ru)).toEqual([null, 800, 0]);
    expect(reader.minutes?.(m, m + 60_000, 'pps', null)).toEqual([70 / 60]);
    expect(reader.minutes?.(m, m + 60_000, 'share', ru)).toEqual([0.75]);
    expect(reader.minutes?.(m, m + 60_000, 'sources', ru)).toEqual([null]);
  });
});

describe('source summary', () => {
  it('says when sources look spoofed, and lists guaranteed shares otherwise', async () => {
    const { summarizeSources } = await import('./detectReader.js');
    expect(summarizeSources(37_700.4, [100, 90], 8e6)).toEqual({
      distinct: 37_700,
      topShare: 100 / 8e6,
      spread: true,
      text: '37,700 distinct sources, none above 0.1 %',
    });
    expect(summarizeSources(232, [4e6, 1e6, 0], 8e6)).toEqual({
      distinct: 232,
      topShare: 0.5,
      spread: false,
      text: '232 distinct sources; the top 2 send at least 62.5 %',
    });
    expect(summarizeSources(2_376, null, 8e9).text).toBe('2,376 distinct sources');
    expect(summarizeSources(2_376, null, 8e9).spread).toBe(false);
  });
});
