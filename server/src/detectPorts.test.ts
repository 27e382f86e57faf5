import type { Flow } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import type { AggregatorOptions } from './aggregate/index.js';
import { T0, testAggregator, testKeys } from './aggregate/testing.js';
import { explain, mergePorts, portsOf, rulesSchema } from './detect/index.js';
import { createDetectReader } from './detectReader.js';
import type { Enricher } from './enrich/enricher.js';
import type { FlowKeys } from './flow.js';

const enricher: Enricher = { keys: () => undefined, name: (_d, key) => key };

function udp(t: number, i: number, src: string, sport: number, dport: number, bytes: number): Flow {
  return {
    end: t + (i % 1000),
    start: t + (i % 1000),
    src,
    dst: '203.0.113.10',
    sport,
    dport,
    proto: 17,
    bytes,
    packets: Math.ceil(bytes / 1500),
    sampling: 1,
    tcpFlags: 0,
    srcAs: 0,
    dstAs: 0,
    exporter: '',
  };
}

const RU_AMP: Partial<FlowKeys> = {
  asn: 'AS12389',
  destination: '203.0.113.10',
  protocol: 'UDP',
  vector: 'udp-amp-dns',
  service: 'campaign-web',
};

/**
 * Five seconds of a DNS amplification from Russia at 203.0.113.10 with some NTP besides, and
 * background: German visitors on HTTPS to 203.0.113.20 and ICMP from Russia to the target.
 * Per second: 40 × 3,000 B from UDP 53, 10 × 468 B from UDP 123, 30 × 900 B to TCP 443,
 * 5 × 100 B of ICMP.
 */
function scenario(opts: Partial<AggregatorOptions> = {}, scale = 1) {
  const a = testAggregator(opts);
  for (let s = 0; s < 5; s++) {
    const t = T0 + s * 1000;
    const d = a.createDelta();
    for (let i = 0; i < 40 * scale; i++)
      d.add(udp(t, i, `77.88.${s}.${i % 250}`, 53, 1024 + i, 3000), testKeys('RU', RU_AMP));
    for (let i = 0; i < 10 * scale; i++)
      d.add(
        udp(t, i, `77.89.${s}.${i % 250}`, 123, 2000 + i, 468),
        testKeys('RU', { ...RU_AMP, vector: 'udp-amp-ntp' }),
      );
    for (let i = 0; i < 30 * scale; i++)
      d.add(
        {
          ...udp(t, i, `93.184.${s}.${i % 250}`, 40000 + i, 443, 900),
          dst: '203.0.113.20',
          proto: 6,
          tcpFlags: 0x18,
        },
        testKeys('DE', {
          asn: 'AS3320',
          destination: '203.0.113.20',
          protocol: 'TCP',
          vector: 'tcp',
          service: 'campaign-api',
        }),
      );
    for (let i = 0; i < 5 * scale; i++)
      d.add(
        { ...udp(t, i, `77.90.${s}.${i}`, 0, 0, 100), proto: 1 },
        testKeys('RU', { ...RU_AMP, protocol: 'ICMP', vector: 'icmp' }),
      );
    a.merge(d);
  }
  return createDetectReader(a, enricher);
}

const T = T0 + 4000;
const PAIR = { dim: 'country.destination' as const, key: 'RU\u001f203.0.113.10' };

describe('ports in alert explanations', () => {
  const reader = scenario();

  it('names the amplification by its source port, exactly while the sample holds every flow', () => {
    const ports = portsOf(reader, PAIR, T);
    const subject = 40 * 3000 + 10 * 468 + 5 * 100;
    expect(ports).toEqual([
      {
        key: 'UDP 53 → *',
        name: 'DNS',
        bps: 40 * 3000 * 8,
        protocol: 'UDP',
        port: 53,
        side: 'source',
        share: (40 * 3000) / subject,
      },
      {
        key: 'UDP 123 → *',
        name: 'NTP',
        bps: 10 * 468 * 8,
        protocol: 'UDP',
        port: 123,
        side: 'source',
        share: (10 * 468) / subject,
      },
    ]);
  });

  it('names a targeted service by its destination port, for every kind of subject', () => {
    expect(portsOf(reader, { dim: 'destination', key: '203.0.113.20' }, T)).toMatchObject([
      { key: 'TCP * → 443', name: 'HTTPS', bps: 30 * 900 * 8, share: 1 },
    ]);
    expect(portsOf(reader, { dim: 'country', key: 'DE' }, T)[0]?.key).toBe('TCP * → 443');
    expect(portsOf(reader, { dim: 'vector', key: 'udp-amp-ntp' }, T)).toMatchObject([
      { key: 'UDP 123 → *', bps: 10 * 468 * 8, share: 1 },
    ]);
    expect(portsOf(reader, null, T).map((p) => [p.key, p.bps])).toEqual([
      ['UDP 53 → *', 960_000],
      ['TCP * → 443', 216_000],
      ['UDP 123 → *', 37_440],
    ]);
    expect(portsOf(reader, { dim: 'country.vector', key: 'RU\u001fudp-amp-dns' }, T)).toHaveLength(
      1,
    );
  });

  it('lists nothing for ICMP, an unseen subject, or seconds without samples', () => {
    expect(portsOf(reader, { dim: 'vector', key: 'icmp' }, T)).toEqual([]);
    expect(portsOf(reader, { dim: 'country', key: 'CN' }, T)).toEqual([]);
    expect(portsOf(reader, { dim: 'country.destination', key: 'other' }, T)).toEqual([]);
    expect(portsOf(reader, PAIR, T0 + 3_600_000)).toEqual([]);
    const noSamples = { ...reader, forEachSampled: undefined };
    expect(portsOf(noSamples, PAIR, T)).toEqual([]);
  });

  it('averages over the seconds since the alert started, at most five', () => {
    const r = scenario();
    // started at the last second: that second alone, the same rate
    expect(portsOf(r, PAIR, T, T)[0]?.bps).toBe(960_000);
    // a window reaching before the traffic: the quiet seconds count as quiet
    expect(portsOf(r, PAIR, T0 + 5000)[0]?.bps).toBe((960_000 * 4) / 5);
  });

  it('carries the ports in the explanation', () => {
    const [rule] = rulesSchema.parse([
      { name: 'ru-target', metric: 'bps', scope: 'country.destination', when: { above: 1e5 } },
    ]);
    const ex = explain(rule!, PAIR, null, T, reader, T0);
    expect(ex.ports?.[0]).toMatchObject({ key: 'UDP 53 → *', bps: 960_000 });
    expect(ex.countries[0]?.key).toBe('RU');
  });

  it('still names the port first from a sample far smaller than the traffic', () => {
    // 16 flows sampled a second out of 1,700: estimates, not sums, yet the order holds
    const r = scenario({ sample: { open: 16, sealed: 4, keepMs: 900_000 } }, 20);
    const ports = portsOf(r, PAIR, T);
    expect(ports[0]?.key).toBe('UDP 53 → *');
    const truth = 20 * 40 * 3000 * 8;
    expect(Math.abs((ports[0]?.bps ?? 0) - truth) / truth).toBeLessThan(0.25);
    expect(ports[0]?.share).toBeGreaterThan(0.8);
  });

  it("merges an alert's ports: each at its highest rate, heaviest first, at most five", () => {
    const port = (key: string, bps: number, p = 1) =>
      ({ key, name: '', bps, protocol: 'UDP', port: p, side: 'source', share: 0.5 }) as const;
    expect(mergePorts(undefined, [port('UDP 53 → *', 10)])).toEqual([port('UDP 53 → *', 10)]);
    const merged = mergePorts(
      [port('UDP 53 → *', 900), port('UDP 123 → *', 50, 123)],
      [port('UDP 123 → *', 80, 123), port('TCP * → 443', 300, 443)],
    );
    expect(merged.map((p) => [p.key, p.bps])).toEqual([
      ['UDP 53 → *', 900],
      ['TCP * → 443', 300],
      ['UDP 123 → *', 80],
    ]);
    const many = Array.from({ length: 8 }, (_, i) => port(`UDP ${i} → *`, i, i));
    expect(mergePorts(many.slice(0, 4), many.slice(4)).map((p) => p.bps)).toEqual([7, 6, 5, 4, 3]);
  });
});
