import { describe, expect, it } from 'vitest';
import { seconds } from '../../store/testPoints.js';
import { countryTable } from './countryTable.js';

describe('countryTable', () => {
  it('ranks countries by current bits/s with shares and a folded `other` row', () => {
    const pts = seconds(0, 65, (i): Record<string, number> =>
      i < 60 ? { RU: 100, BR: 100, other: 50 } : { RU: 600, BR: 200, US: 100, other: 100 },
    );
    const { rows, totalBps } = countryTable(pts, 1000, { rows: 2 });
    expect(totalBps).toBe(1000);
    expect(rows.map((r) => r.key)).toEqual(['RU', 'BR', 'other']);
    expect(rows[0]).toMatchObject({ bps: 600, share: 0.6 });
    expect(rows[0]!.change).toBeCloseTo(5);
    expect(rows[1]!.change).toBeCloseTo(1);
    expect(rows[2]).toMatchObject({ key: 'other', bps: 200, share: 0.2, change: null });
  });

  it('gives no change for a country absent from the minute before', () => {
    const pts = seconds(0, 65, (i): Record<string, number> =>
      i < 60 ? { RU: 100 } : { RU: 100, CN: 50 },
    );
    const cn = countryTable(pts, 1000).rows.find((r) => r.key === 'CN');
    expect(cn?.change).toBeNull();
  });

  it('omits `other` when nothing is left over, and is empty without points', () => {
    expect(
      countryTable(
        seconds(0, 5, () => ({ RU: 1 })),
        1000,
      ).rows.map((r) => r.key),
    ).toEqual(['RU']);
    expect(countryTable([], 1000)).toEqual({ rows: [], totalBps: 0 });
  });
});
