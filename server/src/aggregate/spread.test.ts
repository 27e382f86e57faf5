import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spreadFlow } from './spread.js';

describe('spreadFlow', () => {
  it('puts a sub-second flow whole into its end second', () => {
    expect(spreadFlow(1_000_100, 1_000_900, 1500, 3, 300_000, 1000)).toEqual([
      { t: 1_000_000, bytes: 1500, packets: 3 },
    ]);
  });

  it('spreads a 60 s flow over 61 seconds, remainder to the earliest', () => {
    const shares = spreadFlow(0, 60_000, 6100 + 5, 61, 300_000, 1000);
    expect(shares).toHaveLength(61);
    expect(shares[0]).toEqual({ t: 0, bytes: 101, packets: 1 });
    expect(shares[5]).toEqual({ t: 5000, bytes: 100, packets: 1 });
    expect(shares[60]).toEqual({ t: 60_000, bytes: 100, packets: 1 });
  });

  it('conserves bytes and packets exactly for any flow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 30 }),
        (start, dur, bytes, packets) => {
          const shares = spreadFlow(start, start + dur, bytes, packets, 300_000, 1000);
          expect(shares.reduce((s, x) => s + x.bytes, 0)).toBe(bytes);
          expect(shares.reduce((s, x) => s + x.packets, 0)).toBe(packets);
          expect(shares.at(-1)!.t).toBe(start + dur - ((start + dur) % 1000));
          expect(shares.length).toBeLessThanOrEqual(301);
        },
      ),
    );
  });
});
