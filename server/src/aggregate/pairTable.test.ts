import { describe, expect, it } from 'vitest';
import { PairTable } from './pairTable.js';

describe('PairTable', () => {
  it('sums counters per key exactly, past its first growth', () => {
    const t = new PairTable();
    for (let i = 0; i < 1_000; i++) t.add(`RU\u001fAS${i % 40}`, 1_500, 3, 1);
    expect(t.size).toBe(40);
    expect(t.get('RU\u001fAS7')).toEqual({ bytes: 37_500, packets: 75, flows: 25 });
    expect(t.get('BR\u001fAS7')).toBeNull();
    let bytes = 0;
    t.forEach((_, c) => (bytes += c.bytes));
    expect(bytes).toBe(1_500_000);
    const { keys, num } = t.raw();
    expect(keys).toHaveLength(40);
    expect(num[keys.indexOf('RU\u001fAS39') * 3 + 2]).toBe(25);
  });

  it('merges another table key by key', () => {
    const a = new PairTable();
    const b = new PairTable();
    a.add('x', 10, 1, 1);
    b.add('x', 5, 2, 0);
    b.add('y', 7, 1, 1);
    a.merge(b);
    expect(a.get('x')).toEqual({ bytes: 15, packets: 3, flows: 1 });
    expect(a.get('y')).toEqual({ bytes: 7, packets: 1, flows: 1 });
    expect(b.size).toBe(2);
  });
});
