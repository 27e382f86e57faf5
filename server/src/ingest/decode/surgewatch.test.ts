import { describe, expect, it } from 'vitest';
import { decodeMessage } from './index.js';
import type { DecodeContext } from './types.js';

const NOW = 1716197400000;
const ctx: DecodeContext = {
  now: NOW,
  defaultSampling: 8,
  maxMessageBytes: 1 << 20,
  maxFutureMs: 60_000,
  maxPastMs: 3_600_000,
};
const decode = (text: string) => decodeMessage(Buffer.from(text), 'surgewatch', ctx);

describe('surgewatch format', () => {
  it('decodes a minimal record with every default', () => {
    const r = decode(
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"2001:DB8::7","proto":17,"bytes":1500,"packets":1}',
    );
    expect(r).toEqual({
      flows: [
        {
          end: 1716197395000,
          start: 1716197395000,
          src: '192.0.2.1',
          dst: '2001:db8::7',
          sport: 0,
          dport: 0,
          proto: 17,
          bytes: 1500,
          packets: 1,
          sampling: 1,
          tcpFlags: 0,
          srcAs: 0,
          dstAs: 0,
          exporter: '',
        },
      ],
      rejects: [],
      unknownSampling: 0,
    });
  });

  it('decodes every optional field, scales by sampling and floors fractional ms', () => {
    const r = decode(
      JSON.stringify({
        ts: 1716197395123.9,
        start: 1716197390000,
        src: '::ffff:198.51.100.9',
        dst: '203.0.113.5',
        sport: 53,
        dport: 40000,
        proto: 17,
        bytes: 3000,
        packets: 2,
        sampling: 1000,
        tcpFlags: 0,
        srcAs: 64500,
        dstAs: 4200000000,
        exporter: '10.0.0.1',
      }),
    );
    expect(r.rejects).toEqual([]);
    expect(r.flows).toEqual([
      {
        end: 1716197395123,
        start: 1716197390000,
        src: '198.51.100.9',
        dst: '203.0.113.5',
        sport: 53,
        dport: 40000,
        proto: 17,
        bytes: 3_000_000,
        packets: 2000,
        sampling: 1000,
        tcpFlags: 0,
        srcAs: 64500,
        dstAs: 4200000000,
        exporter: '10.0.0.1',
      },
    ]);
  });

  it('treats sampling 0 as unknown: default rate, counted', () => {
    const r = decode(
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":100,"packets":2,"sampling":0}',
    );
    expect(r.flows.map((f) => [f.bytes, f.packets, f.sampling])).toEqual([[800, 16, 8]]);
    expect(r.unknownSampling).toBe(1);
  });

  it('decodes NDJSON, skipping blank lines and CRLF endings', () => {
    const line = (n: number) =>
      `{"ts":${1716197395000 + n},"src":"192.0.2.${n}","dst":"192.0.2.254","proto":6,"bytes":60,"packets":1}`;
    const r = decode(`${line(1)}\r\n\n${line(2)}\n   \n${line(3)}\n`);
    expect(r.rejects).toEqual([]);
    expect(r.flows.map((f) => [f.src, f.end])).toEqual([
      ['192.0.2.1', 1716197395001],
      ['192.0.2.2', 1716197395002],
      ['192.0.2.3', 1716197395003],
    ]);
  });

  it.each([
    ['{"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1,"packets":1}', 'missing_field'],
    ['{"ts":1716197395000,"dst":"192.0.2.2","proto":6,"bytes":1,"packets":1}', 'missing_field'],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","bytes":1,"packets":1}',
      'missing_field',
    ],
    [
      '{"ts":"1716197395000","src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1,"packets":1}',
      'wrong_type',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":"tcp","bytes":1,"packets":1}',
      'wrong_type',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":256,"bytes":1,"packets":1}',
      'wrong_type',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"sport":70000,"bytes":1,"packets":1}',
      'wrong_type',
    ],
    [
      '{"ts":1716197395000,"src":1,"dst":"192.0.2.2","proto":6,"bytes":1,"packets":1}',
      'wrong_type',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":-1,"packets":0}',
      'bad_counter',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1.5,"packets":1}',
      'bad_counter',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":10,"packets":11}',
      'bad_counter',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":100000,"packets":1}',
      'bad_counter',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":100,"packets":0}',
      'bad_counter',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1e15,"packets":1e12,"sampling":1000}',
      'bad_counter',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1,"packets":1,"sampling":-2}',
      'bad_counter',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.999","proto":6,"bytes":1,"packets":1}',
      'bad_address',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1,"packets":1,"exporter":"r1"}',
      'bad_address',
    ],
    [
      '{"ts":1716197395000,"start":1716197395001,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1,"packets":1}',
      'bad_timestamp',
    ],
    [
      '{"ts":-5,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1,"packets":1}',
      'bad_timestamp',
    ],
    [
      '{"ts":1716197495000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1,"packets":1}',
      'future_timestamp',
    ],
    [
      '{"ts":1716190000000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1,"packets":1}',
      'past_timestamp',
    ],
    [
      '{"ts":1716197395000,"src":"192.0.2.1","dst":"192.0.2.2","proto":6,"bytes":1,"packets":1',
      'invalid_json',
    ],
    ['[{"ts":1716197395000}]', 'not_an_object'],
    ['"hello"', 'not_an_object'],
    ['null', 'not_an_object'],
  ])('rejects %s as %s', (text, reason) => {
    const r = decode(text);
    expect(r.flows).toEqual([]);
    expect(r.rejects.map((x) => x.reason)).toEqual([reason]);
    expect(r.rejects[0]?.detail).toMatch(/^line 1: /);
  });

  it('rejects a record whose counters claim more than any link carries', () => {
    const rec = (bytes: number, packets: number, start?: number) =>
      decode(
        JSON.stringify({
          ts: 1716197395000,
          start,
          src: '192.0.2.1',
          dst: '203.0.113.5',
          proto: 17,
          bytes,
          packets,
        }),
      );
    // 1 Tb/s for one second is the limit; 2 Gpps too
    expect(rec(125e9, 1e8).rejects).toEqual([]);
    expect(rec(125e9 + 1000, 1e8).rejects.map((r) => r.reason)).toEqual(['bad_counter']);
    expect(rec(2e11, 2e9 + 1).rejects[0]?.detail).toMatch(/implausible rate/);
    // the same bytes over 60 s are 16.7 Gb/s: plausible
    expect(rec(125e9 + 1000, 1e8, 1716197335000).rejects).toEqual([]);
  });
});
