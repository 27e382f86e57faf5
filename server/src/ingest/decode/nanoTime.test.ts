import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nsDigitsToMs, nsDoubleToMs, nsHiLoToMs, rawDigitsAfterKey } from './nanoTime.js';

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

describe('nsDoubleToMs', () => {
  it('is exact whenever it answers, for ns epochs JSON.parse rounded, and answers nearly always', () => {
    let answered = 0;
    const n = 200_000;
    let seed = 12345;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < n; i++) {
      // 2020–2100 in ns; every 4th value right at a ms boundary, give or take 300 ns
      let ns = 1_577_836_800_000_000_000n + (BigInt(rnd()) << 28n) + BigInt(rnd());
      if (i % 4 === 0) ns = (ns / 1_000_000n) * 1_000_000n + BigInt((rnd() % 601) - 300);
      const parsed = JSON.parse(ns.toString()) as number;
      const ms = nsDoubleToMs(parsed);
      if (ms === undefined) continue;
      answered++;
      expect(BigInt(ms)).toBe(ns / 1_000_000n);
    }
    // the boundary quarter falls back to the digits; of the rest, under 1 %
    expect(answered).toBeGreaterThan(n * 0.74);
  });

  it('leaves values near a ms boundary to the digits', () => {
    const atBoundary = JSON.parse('1716197395000000000') as number;
    expect(nsDoubleToMs(atBoundary)).toBeUndefined();
    expect(nsDoubleToMs(JSON.parse('1716197394999999744') as number)).toBeUndefined();
    expect(nsDoubleToMs(JSON.parse('1716197395000500000') as number)).toBe(1716197395000);
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
