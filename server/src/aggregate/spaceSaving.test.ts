import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpaceSaving } from './spaceSaving.js';

describe('SpaceSaving', () => {
  it('is exact while it holds fewer than k items', () => {
    const s = new SpaceSaving(4);
    s.add('a', 5);
    s.add('b', 3);
    s.add('a', 2);
    expect(s.top()).toEqual([
      { item: 'a', weight: 7, error: 0 },
      { item: 'b', weight: 3, error: 0 },
    ]);
  });

  it('always holds every item heavier than total/k, never undercounting', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 100 })), {
          maxLength: 400,
        }),
        (rows) => {
          const k = 8;
          const s = new SpaceSaving(k);
          const truth = new Map<string, number>();
          let total = 0;
          for (const [i, w] of rows) {
            s.add(`10.0.0.${i}`, w);
            truth.set(`10.0.0.${i}`, (truth.get(`10.0.0.${i}`) ?? 0) + w);
            total += w;
          }
          const held = new Map(s.top().map((h) => [h.item, h]));
          for (const [item, w] of truth) {
            if (w > total / k) expect(held.has(item)).toBe(true);
            const h = held.get(item);
            if (h) {
              expect(h.weight).toBeGreaterThanOrEqual(w);
              expect(h.weight - h.error).toBeLessThanOrEqual(w);
            }
          }
        },
      ),
    );
  });

  it('keeps memory fixed under a million distinct spoofed sources', () => {
    const s = new SpaceSaving(8);
    for (let i = 0; i < 1_000_000; i++) s.add(`s${i}`, 1);
    s.add('attacker', 1_000_000);
    expect(s.top(8)).toHaveLength(8);
    expect(s.top(1)[0]!.item).toBe('attacker');
  });

  it('round-trips through its JSON form and merges', () => {
    const a = new SpaceSaving(3);
    a.add('x', 10);
    a.add('y', 5);
    const b = SpaceSaving.fromJSON(3, a.toJSON());
    expect(b.top()).toEqual(a.top());
    const c = new SpaceSaving(3);
    c.add('y', 20);
    c.add('z', 1);
    c.add('w', 2);
    b.merge(c);
    // z (1) took the last free counter, then w (2) replaced it: w may overcount by 1
    expect(b.top()).toEqual([
      { item: 'y', weight: 25, error: 0 },
      { item: 'x', weight: 10, error: 0 },
      { item: 'w', weight: 3, error: 1 },
    ]);
  });
});
