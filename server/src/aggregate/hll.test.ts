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

  it.each([
    [0, 0, 1],
    [20, 0, 81],
    [33, 1, 60],
    [400, 1, 560],
    [50_000, 1, 1200],
  ])('reads %i items back from bytes exactly (kind %i, at most %i bytes)', (n, kind, most) => {
    const h = new HyperLogLog();
    for (let i = 0; i < n; i++) h.add(hash32(ipOf(0x0b000000 + i * 13)));
    const bytes = h.toBytes();
    expect(bytes[0]).toBe(kind);
    expect(bytes.length).toBeLessThanOrEqual(most);
    const back = HyperLogLog.fromBytes(bytes);
    expect(back.estimate()).toBe(h.estimate());
    if (h.registers) expect(back.registers).toEqual(h.registers);
    // a sparse one stays sparse (exact) and keeps growing like the original
    const more = hash32('10.9.9.9');
    back.add(more);
    h.add(more);
    expect(back.estimate()).toBe(h.estimate());
  });

  it('reads any registers back exactly, gaps and values at their extremes included', () => {
    let x = 7;
    const rnd = () => (x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0);
    for (let round = 0; round < 200; round++) {
      const r = new Uint8Array(2048);
      const set = round < 4 ? ([1, 2, 2047, 2048][round] as number) : 1 + (rnd() % 2048);
      for (let i = 0; i < set; i++) r[rnd() % 2048] = 1 + (rnd() % (round % 2 ? 22 : 3));
      if (round === 5) r[2047] = 22;
      const h = new HyperLogLog(r);
      const back = HyperLogLog.fromBytes(h.toBytes());
      expect(back.registers ?? new Uint8Array(2048)).toEqual(r);
    }
  });

  it('leaves out the hashes the reader knows (a key’s top sources), and only those', () => {
    const h = new HyperLogLog();
    const hashes = Array.from({ length: 12 }, (_, i) => hash32(ipOf(0x0c000000 + i)));
    for (const x of hashes) h.add(x);
    const known = hashes.slice(0, 8);
    const bytes = h.toBytes(known);
    expect(bytes.length).toBe(1 + 4 * 4);
    expect(HyperLogLog.fromBytes(bytes, known).estimate()).toBe(12);
    // one it does not hold: the whole list travels
    expect(h.toBytes([...known, 12345]).length).toBe(1 + 4 * 12);
  });

  it('rejects malformed bytes', () => {
    expect(() => HyperLogLog.fromBytes(new Uint8Array([7]))).toThrow(/unknown kind/);
    expect(() => HyperLogLog.fromBytes(new Uint8Array([0, 1, 2]))).toThrow(/hash list/);
    expect(() => HyperLogLog.fromBytes(new Uint8Array([1, 1, 0]))).toThrow(/truncated/);
    expect(() => HyperLogLog.fromBytes(new Uint8Array([1, 1, 0, 0, 0, 1]))).toThrow(/truncated/);
    expect(() => HyperLogLog.fromBytes(new Uint8Array([1, 1, 0, 0, 0, 30, 0]))).toThrow(/header/);
    expect(() => HyperLogLog.fromBytes(new Uint8Array([1, 1, 0, 0, 0, 1, 0, 0]))).toThrow(
      /trailing/,
    );
  });
});
