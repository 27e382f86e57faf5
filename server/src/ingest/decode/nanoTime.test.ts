import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nsDigitsToMs, nsHiLoToMs, rawDigitsAfterKey } from './nanoTime.js';

const floorMs = (ns: bigint): number => Number(ns / 1_000_000n);

describe('nsHiLoToMs', () => {
  it('equals BigInt floor division for any uint64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (ns) => {
        const hi = Number(ns >> 32n);
        const lo = Number(ns & 0xffffffffn);
        expect(nsHiLoToMs(hi, lo)).toBe(floorMs(ns));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('nsDigitsToMs', () => {
  it('floors exactly, including right before and at a second boundary', () => {
    expect(nsDigitsToMs('1716197395999999999')).toBe(1716197395999);
    expect(nsDigitsToMs('1716197396000000000')).toBe(1716197396000);
    expect(nsDigitsToMs('999999')).toBe(0);
    expect(nsDigitsToMs('1000000')).toBe(1);
    expect(nsDigitsToMs('0')).toBe(0);
  });

  it('equals BigInt floor division for ns epochs of this era', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 4_102_444_800_000_000_000n }), (ns) => {
        expect(nsDigitsToMs(ns.toString())).toBe(floorMs(ns));
      }),
    );
  });
});

describe('rawDigitsAfterKey', () => {
  const key = '"time_flow_end_ns"';

  it('finds the digits JSON.parse rounded, with blanks around the colon', () => {
    const json = '{"a":1,"time_flow_end_ns" : 1716197395999999999 ,"b":2}';
    const parsed = (JSON.parse(json) as { time_flow_end_ns: number }).time_flow_end_ns;
    expect(parsed).toBe(1716197396000000000); // the rounding this all exists for
    expect(rawDigitsAfterKey(json, key, parsed)).toBe('1716197395999999999');
  });

  it('skips look-alikes inside other keys and refuses fractions and exponents', () => {
    const lookalike = '{"x\\"time_flow_end_ns":5,"time_flow_end_ns":1716197395999999999}';
    const parsed = (JSON.parse(lookalike) as { time_flow_end_ns: number }).time_flow_end_ns;
    expect(rawDigitsAfterKey(lookalike, key, parsed)).toBe('1716197395999999999');
    expect(rawDigitsAfterKey('{"time_flow_end_ns":1.7e18}', key, 1.7e18)).toBeUndefined();
    expect(rawDigitsAfterKey('{"time_flow_end_ns":17.5}', key, 17.5)).toBeUndefined();
    expect(rawDigitsAfterKey('{"time_flow_end_ns":"17"}', key, 17)).toBeUndefined();
    expect(rawDigitsAfterKey('{"other":17}', key, 17)).toBeUndefined();
  });
});
