import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from './index.js';
import { PROTO_UNKNOWN } from './protocols.js';
import type { DecodeContext } from './types.js';

// Real goflow2 v2 output: line 1 the sFlow README example, line 2 a full NetFlow v9 record.
const [SFLOW_LINE = '', NETFLOW_LINE = ''] = readFileSync(
  new URL('./fixtures/goflow2-v2-json.ndjson', import.meta.url),
  'utf8',
).split('\n');

const ctxAt = (now: number): DecodeContext => ({
  now,
  defaultSampling: 10,
  maxMessageBytes: 1 << 20,
  maxFutureMs: 60_000,
  maxPastMs: 3_600_000,
});
const decode = (text: string, now = 1716197425724) =>
  decodeMessage(Buffer.from(text), 'goflow2-json', ctxAt(now));

/** The NetFlow fixture line with one field's raw JSON value replaced. */
function netflowWith(key: string, rawValue: string): string {
  const re = new RegExp(`"${key}":("[^"]*"|[^,}]*)`);
  if (!re.test(NETFLOW_LINE)) throw new Error(`no ${key} in fixture`);
  return NETFLOW_LINE.replace(re, `"${key}":${rawValue}`);
}

describe('goflow2-json', () => {
  it('decodes the NetFlow v9 fixture line: exact end, sampling 0 → default, counted', () => {
    const r = decode(NETFLOW_LINE);
    expect(r.rejects).toEqual([]);
    expect(r.unknownSampling).toBe(1);
    expect(r.flows).toEqual([
      {
        end: 1716197395000,
        start: 1716197395000,
        src: '5.190.239.206',
        dst: '216.58.212.170',
        sport: 25316,
        dport: 443,
        proto: 6,
        bytes: 55640, // 5564 × defaultSampling 10
        packets: 60,
        sampling: 10,
        tcpFlags: 16,
        srcAs: 0,
        dstAs: 0,
        exporter: '10.139.3.247',
      },
    ]);
  });

  it('decodes the sFlow fixture line: IPv6, sampling 100 scales 1500 bytes → 150000', () => {
    const r = decode(SFLOW_LINE, 1681583295157 + 1000);
    expect(r.rejects).toEqual([]);
    expect(r.unknownSampling).toBe(0);
    expect(r.flows).toEqual([
      {
        end: 1681583295157, // 1681583295157626000 ns
        start: 1681583295157,
        src: 'fd01::1',
        dst: 'fd01::2',
        sport: 443,
        dport: 50001,
        proto: 6,
        bytes: 150000,
        packets: 100,
        sampling: 100,
        tcpFlags: 0,
        srcAs: 0,
        dstAs: 0,
        exporter: '192.168.0.1',
      },
    ]);
  });

  it('puts ns times near second boundaries in the right second (beyond 2^53)', () => {
    const boundary = (ns: bigint) =>
      decode(
        netflowWith('time_flow_end_ns', ns.toString()).replace(
          /"time_flow_start_ns":\d+/,
          '"time_flow_start_ns":0',
        ),
        Number(ns / 1_000_000n),
      ).flows[0]?.end;
    // JSON.parse alone rounds …395999999999 up to …396000000000: the wrong second.
    expect(Math.floor(JSON.parse('1716197395999999999') / 1e6)).toBe(1716197396000);
    expect(boundary(1716197395999999999n)).toBe(1716197395999);
    expect(boundary(1716197396000000000n)).toBe(1716197396000);
    fc.assert(
      fc.property(
        fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
        fc.constantFrom(0n, 1n, 255n, 999_999n, 1_000_000n, 999_999_743n, 999_999_999n),
        (second, offsetNs) => {
          const ns = BigInt(second) * 1_000_000_000n + offsetNs;
          const end = boundary(ns);
          expect(end).toBe(Number(ns / 1_000_000n));
          expect(Math.floor((end ?? 0) / 1000)).toBe(second);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('falls back to time_received_ns when the exporter sent no flow end', () => {
    const r = decode(
      netflowWith('time_flow_end_ns', '0').replace(
        /"time_flow_start_ns":\d+/,
        '"time_flow_start_ns":0',
      ),
    );
    expect(r.flows.map((f) => [f.end, f.start])).toEqual([[1716197425724, 1716197425724]]);
  });

  it('maps protocol names of every goflow2 version, and numbers', () => {
    const proto = (raw: string) => decode(netflowWith('proto', raw)).flows[0]?.proto;
    expect(proto('"UDP"')).toBe(17);
    expect(proto('"ICMPv6"')).toBe(58);
    expect(proto('"IPv6-ICMP"')).toBe(58);
    expect(proto('"GRE"')).toBe(47);
    expect(proto('47')).toBe(47);
    expect(proto('""')).toBe(PROTO_UNKNOWN); // v2.0/v2.1 for anything but the big five
    expect(proto('"unassigned"')).toBe(PROTO_UNKNOWN);
    expect(decode(netflowWith('proto', '"BANANA"')).rejects.map((r) => r.reason)).toEqual([
      'wrong_type',
    ]);
  });

  it('rejects non-IP samples, bad addresses and wrong types with one reject each', () => {
    const reasons = (text: string) => decode(text).rejects.map((r) => r.reason);
    const arp = netflowWith('src_addr', '""').replace(
      '"dst_addr":"216.58.212.170"',
      '"dst_addr":""',
    );
    expect(reasons(arp)).toEqual(['bad_address']);
    expect(reasons(netflowWith('dst_addr', '"216.58.212"'))).toEqual(['bad_address']);
    expect(reasons(netflowWith('sampler_address', '"nope"'))).toEqual(['bad_address']);
    expect(reasons(netflowWith('bytes', '"5564"'))).toEqual(['wrong_type']);
    expect(reasons(netflowWith('time_flow_end_ns', '"1716197395000000000"'))).toEqual([
      'wrong_type',
    ]);
    expect(reasons(netflowWith('time_flow_end_ns', '-1'))).toEqual(['bad_timestamp']);
    expect(reasons(netflowWith('packets', '6000'))).toEqual(['bad_counter']);
    expect(
      reasons(
        '{"src_addr":"192.0.2.1","dst_addr":"192.0.2.2","proto":"TCP","bytes":1,"packets":1}',
      ),
    ).toEqual(['missing_field']);
  });

  it('accepts the pretty-printed form goflow2 never writes but people do', () => {
    const pretty = JSON.stringify(JSON.parse(NETFLOW_LINE), null, 1).replace(
      /"time_flow_end_ns": \d+/,
      '"time_flow_end_ns" : 1716197395999999999',
    );
    const r = decodeMessage(
      Buffer.from(pretty.replace(/\n/g, ' ')),
      'goflow2-json',
      ctxAt(1716197425724),
    );
    expect(r.flows.map((f) => f.end)).toEqual([1716197395999]);
  });
});
