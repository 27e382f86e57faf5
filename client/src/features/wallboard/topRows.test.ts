import type { GroupStat } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { formatRatio, splitName, surgeOf, topRows } from './topRows.js';

const g = (key: string, bps: number, ratio: number | null, name = key): GroupStat => ({
  key,
  name,
  bps,
  pps: bps / 1000,
  fps: 1,
  sources: 3,
  ratio,
});

describe('formatRatio', () => {
  it('writes the change against baseline as a multiplier, or "new" without one', () => {
    expect(formatRatio(null)).toBe('new');
    expect(formatRatio(3.21)).toBe('×3.2');
    expect(formatRatio(0.4)).toBe('×0.4');
    expect(formatRatio(9.96)).toBe('×10');
    expect(formatRatio(38.7)).toBe('×39');
    expect(formatRatio(5000)).toBe('>×999');
    expect(formatRatio(Infinity)).toBe('>×999');
  });
});

describe('surgeOf', () => {
  it('bands the ratio so the table can mark it by shape and word', () => {
    expect(surgeOf(null)).toBe('new');
    expect(surgeOf(2)).toBe('surge');
    expect(surgeOf(1.3)).toBe('up');
    expect(surgeOf(1)).toBe('steady');
    expect(surgeOf(0.5)).toBe('down');
  });
});

describe('splitName', () => {
  it('splits an AS label into number and organisation', () => {
    expect(splitName('AS7162', 'AS7162 Universo Online S.A.')).toEqual({
      code: 'AS7162',
      name: 'Universo Online S.A.',
    });
    expect(splitName('203.0.113.10', '203.0.113.10')).toEqual({ code: '203.0.113.10', name: '' });
    expect(splitName('tcp-syn', 'TCP SYN')).toEqual({ code: '', name: 'TCP SYN' });
  });
});

describe('topRows', () => {
  it('keeps the first n real keys with their share of the total', () => {
    const rows = topRows(
      [g('AS1', 600, 3.2, 'AS1 One'), g('other', 300, null), g('AS2', 300, null), g('AS3', 100, 1)],
      1000,
      2,
    );
    expect(rows.map((r) => r.key)).toEqual(['AS1', 'AS2']);
    expect(rows[0]).toMatchObject({ code: 'AS1', name: 'One', share: 0.6, surge: 'surge' });
    expect(rows[1]).toMatchObject({ share: 0.3, surge: 'new', ratio: null });
  });

  it('is empty without data and never divides by zero', () => {
    expect(topRows(undefined, 100, 5)).toEqual([]);
    expect(topRows([g('a', 5, 1)], 0, 5)[0]!.share).toBe(0);
  });
});
