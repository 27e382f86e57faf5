import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from './index.js';
import type { DecodeContext } from './types.js';

// Real nfacctd 1.7.7 output: 40 records of a spoofed SYN flood towards 10.10.10.10.
const FIXTURE = readFileSync(new URL('./fixtures/pmacct-1.7.7-nfacctd.ndjson', import.meta.url));
const FIRST_LINE = FIXTURE.toString('utf8').split('\n')[0] ?? '';

// The fixture's flows end at 1795699480 s; its arrival times are days later (softflowd
// replayed a capture), so "now" is set near the flow times.
const ctx: DecodeContext = {
  now: 1795699480000 + 5_000,
  defaultSampling: 4,
  maxMessageBytes: 1 << 20,
  maxFutureMs: 60_000,
  maxPastMs: 3_600_000,
};
const decode = (text: string | Buffer, format: 'pmacct-json' | 'auto' = 'pmacct-json') =>
  decodeMessage(typeof text === 'string' ? Buffer.from(text) : text, format, ctx);
const withField = (key: string, raw: string) => {
  const re = new RegExp(`"${key}": ("[^"]*"|[^,}]*)`);
  if (!re.test(FIRST_LINE)) throw new Error(`no ${key} in fixture`);
  return FIRST_LINE.replace(re, `"${key}": ${raw}`);
};

describe('pmacct-json', () => {
  it('decodes the whole nfacctd fixture as one multi-value message', () => {
    const r = decode(FIXTURE);
    expect(r.rejects).toEqual([]);
    expect(r.unknownSampling).toBe(0);
    expect(r.flows).toHaveLength(40);
    // Sums computed independently with
    //   python3 -c "import json;r=[json.loads(l) for l in open('pmacct-1.7.7-nfacctd.ndjson')]; \
    //     print(len(r),sum(x['bytes'] for x in r),sum(x['packets'] for x in r))"
    // → 40 1932 42 (jq -s 'map(.bytes)|add' agrees on 1932).
    expect(r.flows.reduce((s, f) => s + f.bytes, 0)).toBe(1932);
    expect(r.flows.reduce((s, f) => s + f.packets, 0)).toBe(42);
    expect(new Set(r.flows.map((f) => `${f.dst}:${f.dport}/${f.proto}/${f.tcpFlags}`))).toEqual(
      new Set(['10.10.10.10:25565/6/2']),
    );
    expect(r.flows[0]).toEqual({
      end: 1795699480000,
      start: 1795699480000,
      src: '160.161.74.108',
      dst: '10.10.10.10',
      sport: 41885,
      dport: 25565,
      proto: 6,
      bytes: 46,
      packets: 1,
      sampling: 1,
      tcpFlags: 2,
      srcAs: 0,
      dstAs: 0,
      exporter: '127.0.0.1',
    });
  });

  it('is recognised by auto, with the Kafka plugin writer_id', () => {
    const kafka = FIRST_LINE.replace(/}$/, ', "writer_id": "flows/2041"}');
    expect(decode(kafka, 'auto').flows.map((f) => f.src)).toEqual(['160.161.74.108']);
  });

  it('reads timestamps exactly at second boundaries and in date form', () => {
    const end = (raw: string) =>
      decode(
        withField('timestamp_start', '"0.000000"').replace(
          /"timestamp_end": "[^"]*"/,
          `"timestamp_end": ${raw}`,
        ),
      ).flows[0]?.end;
    expect(end('"1795699480.999999"')).toBe(1795699480999);
    expect(end('"1795699481.000000"')).toBe(1795699481000);
    expect(end('"1795699480.100000"')).toBe(1795699480100);
    expect(end('"2026-11-26 13:24:41.250000"')).toBe(1795699481250); // no timestamps_since_epoch
    expect(end('"2026-11-26T14:24:41.250000+01:00"')).toBe(1795699481250); // timestamps_rfc3339
    expect(end('1795699481.5')).toBe(1795699481500);
  });

  it('takes start for end when only timestamp_start is aggregated, and zero start as none', () => {
    const onlyStart = FIRST_LINE.replace(/"timestamp_end": "[^"]*", /, '');
    expect(decode(onlyStart).flows.map((f) => [f.start, f.end])).toEqual([
      [1795699480000, 1795699480000],
    ]);
    const zeroStart = withField('timestamp_start', '"0000-00-00 00:00:00"');
    expect(decode(zeroStart).flows.map((f) => [f.start, f.end])).toEqual([
      [1795699480000, 1795699480000],
    ]);
  });

  it('scales by sampling_rate when present; 0 means unknown', () => {
    const sampled = FIRST_LINE.replace(/}$/, ', "sampling_rate": 100}');
    expect(decode(sampled).flows.map((f) => [f.bytes, f.packets, f.sampling])).toEqual([
      [4600, 100, 100],
    ]);
    const unknown = decode(FIRST_LINE.replace(/}$/, ', "sampling_rate": 0}'));
    expect(unknown.flows.map((f) => [f.bytes, f.sampling])).toEqual([[184, 4]]);
    expect(unknown.unknownSampling).toBe(1);
  });

  it('reads ip_proto names and digits, tcp_flags strings, IPv6 and exporter', () => {
    const r = decode(
      withField('ip_proto', '"47"')
        .replace('"ip_src": "160.161.74.108"', '"ip_src": "2001:DB8:0:0::1"')
        .replace('"ip_dst": "10.10.10.10"', '"ip_dst": "2001:db8::2"')
        .replace('"tcp_flags": "2"', '"tcp_flags": "18"')
        .replace('"peer_ip_src": "127.0.0.1"', '"peer_ip_src": "::ffff:10.1.1.1"'),
    );
    expect(r.flows.map((f) => [f.proto, f.src, f.dst, f.tcpFlags, f.exporter])).toEqual([
      [47, '2001:db8::1', '2001:db8::2', 18, '10.1.1.1'],
    ]);
    expect(decode(withField('ip_proto', '"udp"')).flows[0]?.proto).toBe(17);
  });

  it.each([
    [withField('event_type', '"purge_init"'), 'bad_event_type'],
    [withField('event_type', '"trigger"'), 'bad_event_type'],
    [FIRST_LINE.replace('"event_type": "purge", ', ''), 'missing_field'],
    [withField('ip_proto', '"banana"'), 'wrong_type'],
    [withField('tcp_flags', '"SYN"'), 'wrong_type'],
    [withField('port_src', '"41885"'), 'wrong_type'],
    [withField('timestamp_end', '"yesterday"'), 'bad_timestamp'],
    [withField('timestamp_end', 'true'), 'wrong_type'],
    [withField('ip_src', '"160.161.74"'), 'bad_address'],
    [withField('packets', '47'), 'bad_counter'],
    [withField('timestamp_end', '"1795699300.000000"'), 'bad_timestamp'],
  ])('rejects %s as %s', (text, reason) => {
    const r = decode(text);
    expect(r.flows).toEqual([]);
    expect(r.rejects.map((x) => x.reason)).toEqual([reason]);
  });
});
