import { describe, expect, it } from 'vitest';
import { hash32 } from './hash.js';
import { HyperLogLog } from './hll.js';

function ipOf(i: number): string {
  return `${(i >>> 24) & 255}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
}

describe('HyperLogLog', () => {
  it('is exact-ish for a handful of items and ignores repeats', () => {
    const h = new HyperLogLog();
    for (let r = 0; r < 10; r++) for (let i = 0; i < 20; i++) h.add(hash32(ipOf(i + 1)));
    expect(h.estimate()).toBe(20);
    expect(new HyperLogLog().estimate()).toBe(0);
  });

  it.each([1_000, 50_000, 1_000_000])('estimates %i distinct sources within 5 %%', (n) => {
    const h = new HyperLogLog();
    for (let i = 0; i < n; i++) h.add(hash32(ipOf(0x0a000000 + i * 7)));
    expect(Math.abs(h.estimate() - n) / n).toBeLessThan(0.05);
  });

  it('merging two sketches equals the sketch of the union', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    const u = new HyperLogLog();
    for (let i = 0; i < 30_000; i++) {
      const x = hash32(ipOf(i));
      (i % 3 === 0 ? a : b).add(x);
      u.add(x);
    }
    a.merge(b);
    expect(a.registers).toEqual(u.registers);
  });
});
