import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeGoflow2Pb, INPUT_FORMATS, REJECT_REASONS } from './index.js';
import type { DecodeContext, DecodeResult, InputFormat, RejectReason } from './types.js';

const NOW = 1716197400000;
const ctx: DecodeContext = {
  now: NOW,
  defaultSampling: 1,
  maxMessageBytes: 64 * 1024,
  maxFutureMs: 60_000,
  maxPastMs: 3_600_000,
};
const GOOD = {
  ts: NOW - 5000,
  src: '192.0.2.1',
  dst: '198.51.100.7',
  proto: 6,
  bytes: 1500,
  packets: 1,
};
const json = (o: object) => JSON.stringify(o);
const bytes = (text: string) => Buffer.from(text);
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

describe('decodeMessage: auto detection', () => {
  it('tells every format apart by its first byte and keys', () => {
    const gf = fixture('goflow2-v2-json.ndjson').toString('utf8').split('\n')[1] ?? '';
    const pm = fixture('pmacct-1.7.7-nfacctd.ndjson');
    const auto = (value: Uint8Array, now = NOW) => decodeMessage(value, 'auto', { ...ctx, now });
    expect(auto(bytes(json(GOOD))).flows).toHaveLength(1);
    expect(auto(bytes(gf), 1716197400000).flows.map((f) => f.src)).toEqual(['5.190.239.206']);
    expect(auto(pm, 1795699480000).flows).toHaveLength(40);
    const pb = encodeGoflow2Pb([
      {
        end: NOW,
        start: NOW,
        src: '192.0.2.1',
        dst: '192.0.2.2',
        sport: 1,
        dport: 2,
        proto: 6,
        bytes: 40,
        packets: 1,
        sampling: 1,
        tcpFlags: 2,
        srcAs: 0,
        dstAs: 0,
        exporter: '',
      },
    ]);
    expect(auto(pb).flows.map((f) => f.src)).toEqual(['192.0.2.1']);
    expect(auto(bytes('  \n {"hello":"world"}')).rejects.map((r) => r.reason)).toEqual([
      'unknown_format',
    ]);
  });

  it('decodes a 123-byte goflow2 frame although its length prefix reads "{"', () => {
    const flow = {
      end: NOW,
      start: NOW,
      src: '192.0.2.1',
      dst: '192.0.2.2',
      sport: 1,
      dport: 2,
      proto: 6,
      bytes: 40,
      packets: 1,
      sampling: 1,
      tcpFlags: 2,
      srcAs: 0,
      dstAs: 0,
      exporter: '',
    };
    const framed = encodeGoflow2Pb([flow]);
    const body = framed.subarray(1); // a one-byte length prefix for these small frames
    expect(framed[0]).toBe(body.length);
    const padding = 123 - body.length - 3; // unknown field 200 (bytes): tag 2 bytes, length 1 byte
    const padded = Buffer.concat([
      Buffer.from([123]),
      body,
      Buffer.from([0xc2, 0x0c, padding]),
      Buffer.alloc(padding, 0x41),
    ]);
    expect(String.fromCharCode(padded[0] ?? 0)).toBe('{');
    expect(decodeMessage(padded, 'auto', ctx)).toEqual({
      flows: [flow],
      rejects: [],
      unknownSampling: 0,
    });
  });
});

describe('decodeMessage: bad records', () => {
  // One crafted message per reason; each must yield exactly one reject of that reason.
  const throwingCtx = Object.defineProperty({ ...ctx }, 'now', {
    get(): number {
      throw new Error('clock exploded');
    },
  });
  const crafted: [RejectReason, Uint8Array, InputFormat, DecodeContext][] = [
    ['invalid_json', bytes('{"ts": 1716197395000, "src": '), 'surgewatch', ctx],
    ['not_an_object', bytes('[1, 2, 3]'), 'surgewatch', ctx],
    ['unknown_format', bytes('{"hello": "world"}'), 'auto', ctx],
    ['missing_field', bytes(json({ ...GOOD, src: undefined })), 'surgewatch', ctx],
    ['wrong_type', bytes(json({ ...GOOD, bytes: 'abc' })), 'auto', ctx],
    ['bad_counter', bytes(json({ ...GOOD, packets: 2000 })), 'auto', ctx],
    ['bad_address', bytes(json({ ...GOOD, src: '300.1.2.3' })), 'auto', ctx],
    ['bad_timestamp', bytes(json({ ...GOOD, start: GOOD.ts + 1 })), 'auto', ctx],
    ['future_timestamp', bytes(json({ ...GOOD, ts: NOW + 120_000 })), 'auto', ctx],
    ['past_timestamp', bytes(json({ ...GOOD, ts: NOW - 7_200_000 })), 'auto', ctx],
    ['oversized', bytes(json(GOOD)), 'auto', { ...ctx, maxMessageBytes: 10 }],
    ['binary_garbage', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 'auto', ctx],
    [
      'prototype_key',
      bytes(`{"__proto__": {"polluted": true}, ${json(GOOD).slice(1)}`),
      'auto',
      ctx,
    ],
    ['bad_event_type', bytes('{"event_type": "purge_init", "writer_id": "flows/1"}'), 'auto', ctx],
    ['internal_error', bytes(json(GOOD)), 'auto', throwingCtx],
  ];

  it('covers every reject reason', () => {
    expect(crafted.map(([reason]) => reason).sort()).toEqual([...REJECT_REASONS].sort());
  });

  it('produces each reason exactly once, and no flows', () => {
    const counts: Partial<Record<RejectReason, number>> = {};
    let flows = 0;
    for (const [, value, format, context] of crafted) {
      const r = decodeMessage(value, format, context);
      flows += r.flows.length;
      for (const { reason } of r.rejects) counts[reason] = (counts[reason] ?? 0) + 1;
    }
    expect(flows).toBe(0);
    expect(counts).toEqual(Object.fromEntries(REJECT_REASONS.map((reason) => [reason, 1])));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('catches escaped and nested prototype keys', () => {
    const reasons = (text: string) =>
      decodeMessage(bytes(text), 'auto', ctx).rejects.map((r) => r.reason);
    expect(reasons(`{"\\u005f_proto__": 1, ${json(GOOD).slice(1)}`)).toEqual(['prototype_key']);
    expect(reasons(`{"x": {"constructor": {"prototype": 1}}, ${json(GOOD).slice(1)}`)).toEqual([
      'prototype_key',
    ]);
    // the words in values are fine
    expect(reasons(json({ ...GOOD, exporter: undefined, note: '__proto__ constructor' }))).toEqual(
      [],
    );
  });

  it('keeps exactly the good lines of a mixed NDJSON message', () => {
    const good = [0, 1, 2].map((n) => ({ ...GOOD, src: `192.0.2.${n + 10}`, ts: GOOD.ts + n }));
    const message = [
      json(good[0] ?? {}),
      '{"ts": oops}',
      json({ ...GOOD, bytes: -1 }),
      '',
      json(good[1] ?? {}),
      '42',
      json({ ...GOOD, dst: 'not-an-ip' }),
      json(good[2] ?? {}),
    ].join('\n');
    const r = decodeMessage(bytes(message), 'surgewatch', ctx);
    expect(r.flows.map((f) => [f.src, f.end])).toEqual(good.map((g) => [g.src, g.ts]));
    expect(r.rejects.map((x) => [x.reason, x.detail.split(':')[0]])).toEqual([
      ['invalid_json', 'line 2'],
      ['bad_counter', 'line 3'],
      ['not_an_object', 'line 6'],
      ['bad_address', 'line 7'],
    ]);
  });

  it('rejects an empty message once', () => {
    const reasons = (format: InputFormat) =>
      decodeMessage(new Uint8Array(0), format, ctx).rejects.map((r) => r.reason);
    expect(reasons('auto')).toEqual(['binary_garbage']);
    expect(reasons('goflow2-pb')).toEqual(['binary_garbage']);
    expect(reasons('surgewatch')).toEqual(['invalid_json']);
  });
});

describe('decodeMessage: never throws', () => {
  const check = (r: DecodeResult) => {
    expect(Array.isArray(r.flows) && Array.isArray(r.rejects)).toBe(true);
    for (const rej of r.rejects) expect(REJECT_REASONS).toContain(rej.reason);
  };

  it('on arbitrary bytes in any format', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...INPUT_FORMATS),
        (value, format) => {
          check(decodeMessage(value, format, ctx));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('on arbitrary JSON values and mutated real records', () => {
    const lines = [
      ...fixture('goflow2-v2-json.ndjson').toString('utf8').split('\n'),
      ...fixture('pmacct-1.7.7-nfacctd.ndjson').toString('utf8').split('\n').slice(0, 3),
      json(GOOD),
    ].filter((l) => l !== '');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc
            .tuple(fc.constantFrom(...lines), fc.nat(), fc.string({ maxLength: 5 }))
            .map(
              ([line, at, junk]) =>
                line.slice(0, at % line.length) + junk + line.slice(at % line.length),
            ),
        ),
        fc.constantFrom(...INPUT_FORMATS),
        (text, format) => {
          const r = decodeMessage(bytes(text), format, ctx);
          check(r);
          expect(r.flows.length + r.rejects.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
