import type { Flow } from '@surgewatch/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Aggregator } from './aggregator.js';

const T0 = 1_800_000_000_000;

function flow(end: number, src: string, bytes: number, packets: number, start = end): Flow {
  return {
    end,
    start,
    src,
    dst: '203.0.113.10',
    sport: 1234,
    dport: 443,
    proto: 6,
    bytes,
    packets,
    sampling: 1,
    tcpFlags: 0,
    srcAs: 0,
    dstAs: 0,
    exporter: '',
  };
}

function make() {
  const a = new Aggregator({ stepMs: 1000, retentionMs: 3_600_000, maxSpreadMs: 300_000 });
  a.advance(T0);
  return a;
}

describe('Aggregator', () => {
  it('sums bytes, packets and flows per second and per country', () => {
    const a = make();
    a.add(flow(T0 + 100, '1.1.1.1', 1000, 2), { country: 'AU' });
    a.add(flow(T0 + 900, '77.88.8.8', 500, 1), { country: 'RU' });
    a.add(flow(T0 + 1500, '77.88.8.8', 300, 1), { country: 'RU' });
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

  it('keeps the top N countries and sums the rest into "other"', () => {
    const a = make();
    ['A', 'B', 'C', 'D', 'E'].forEach((cc, i) =>
      a.add(flow(T0, `10.0.0.${i}`, (i + 1) * 100, 1), { country: cc }),
    );
    const p = a.point(T0, 2);
    expect(p.countries).toEqual([
      { key: 'E', bps: 4000, pps: 1, fps: 1 },
      { key: 'D', bps: 3200, pps: 1, fps: 1 },
      { key: 'other', bps: 4800, pps: 3, fps: 3 },
    ]);
  });

  it('counts and drops flows that ended before the retention horizon', () => {
    const a = make();
    a.advance(T0 + 3_600_000 + 5000);
    expect(a.add(flow(T0 + 1000, '1.1.1.1', 100, 1), { country: 'AU' })).toBe(false);
    expect(a.add(flow(T0 + 10_000, '1.1.1.1', 100, 1), { country: 'AU' })).toBe(true);
    expect(a.getStats()).toMatchObject({ late: 1, flows: 1 });
  });

  it('evicts buckets older than the retention window', () => {
    const a = make();
    a.add(flow(T0, '1.1.1.1', 100, 1), { country: 'AU' });
    a.add(flow(T0 + 10_000, '1.1.1.1', 100, 1), { country: 'AU' });
    a.advance(T0 + 3_600_000 + 5000);
    expect(a.getStats().buckets).toBe(1);
    expect(a.point(T0, 5).total.bps).toBe(0);
  });

  it('conserves totals: the sum over countries equals the grand total equals the input', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 120_000 }),
            dur: fc.integer({ min: 0, max: 90_000 }),
            cc: fc.constantFrom('RU', 'BR', 'DE', 'US', 'unknown'),
            bytes: fc.integer({ min: 0, max: 10_000_000 }),
            packets: fc.integer({ min: 0, max: 10_000 }),
          }),
          { maxLength: 200 },
        ),
        (rows) => {
          const a = make();
          for (const r of rows)
            a.add(flow(T0 + r.dt + r.dur, `192.0.2.${r.dt % 256}`, r.bytes, r.packets, T0 + r.dt), {
              country: r.cc,
            });
          const res = a.range(T0 - 1000, T0 + 300_000, 60_000, 'country', 'bps', 1000);
          const inBytes = rows.reduce((s, r) => s + r.bytes, 0);
          const inPackets = rows.reduce((s, r) => s + r.packets, 0);
          expect(res.totals).toEqual({ bytes: inBytes, packets: inPackets, flows: rows.length });
          expect(res.groups.reduce((s, g) => s + g.bytes, 0)).toBe(inBytes);
          expect(res.groups.reduce((s, g) => s + g.packets, 0)).toBe(inPackets);
          expect(res.groups.reduce((s, g) => s + g.flows, 0)).toBe(rows.length);
        },
      ),
      { numRuns: 100 },
    );
  });
});
