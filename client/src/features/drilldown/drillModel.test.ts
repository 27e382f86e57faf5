import type { TrafficRange } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { SERIES_PALETTE, OTHER_COLOUR } from '../wallboard/palette.js';
import { toDrillChart, toDrillRows } from './drillModel.js';
import { drillStepMs, drillUrl, loadDrill } from './loadDrill.js';

const T = 1_800_000_000_000;

function body(groups: [string, number, number[]][]): TrafficRange {
  return {
    by: 'asn',
    country: 'RU',
    metric: 'bps',
    from: T,
    to: T + 20_000,
    stepMs: 10_000,
    times: [T, T + 10_000],
    totals: { bytes: groups.reduce((s, g) => s + g[1], 0), packets: 0, flows: 0 },
    groups: groups.map(([key, bytes, series]) => ({
      key,
      name: key === 'other' ? 'Other' : `${key} name`,
      bytes,
      packets: 0,
      flows: 0,
      series,
    })),
  };
}

describe('drill-down model', () => {
  it('rows: average and peak bits/s and share of the country, other last, empty groups dropped', () => {
    const rows = toDrillRows(
      body([
        ['other', 5_000, [4000, 0]],
        ['AS12389', 20_000, [16_000, 0]],
        ['AS8359', 0, [0, 0]],
        ['AS3216', 15_000, [0, 12_000]],
      ]),
    );
    expect(rows).toEqual([
      {
        key: 'AS12389',
        name: 'AS12389 name',
        avgBps: 8000,
        peakBps: 16_000,
        share: 0.5,
        series: [16_000, 0],
      },
      {
        key: 'AS3216',
        name: 'AS3216 name',
        avgBps: 6000,
        peakBps: 12_000,
        share: 0.375,
        series: [0, 12_000],
      },
      { key: 'other', name: 'Other', avgBps: 2000, peakBps: 4000, share: 0.125, series: [4000, 0] },
    ]);
  });

  it('chart: one row per step, colours that stay with their key across refreshes', () => {
    const slots = new Map<string, number>();
    const first = toDrillChart(
      body([
        ['AS1', 30, [1, 2]],
        ['AS2', 20, [3, 4]],
        ['other', 10, [5, 6]],
      ]),
      slots,
    );
    expect(first.keys).toEqual(['AS1', 'AS2', 'other']);
    expect(first.rows).toEqual([
      { t: T, AS1: 1, AS2: 3, other: 5 },
      { t: T + 10_000, AS1: 2, AS2: 4, other: 6 },
    ]);
    expect(first.colours).toEqual({
      AS1: SERIES_PALETTE[0],
      AS2: SERIES_PALETTE[1],
      other: OTHER_COLOUR,
    });
    expect(first.domain).toEqual([T, T + 20_000]);
    // AS2 overtakes AS1: both keep their colours
    const second = toDrillChart(
      body([
        ['AS2', 50, [1, 2]],
        ['AS1', 20, [3, 4]],
      ]),
      slots,
    );
    expect(second.keys).toEqual(['AS2', 'AS1']);
    expect(second.colours).toEqual({ AS1: SERIES_PALETTE[0], AS2: SERIES_PALETTE[1] });
  });
});

describe('drill-down loading', () => {
  it('asks for whole steps of one country, about 60–90 points per window', () => {
    expect(drillStepMs(5 * 60_000)).toBe(5_000);
    expect(drillStepMs(15 * 60_000)).toBe(10_000);
    expect(drillStepMs(60 * 60_000)).toBe(30_000);
    const u = new URL(drillUrl('RU', 'source', 15 * 60_000, T + 12_345), 'http://x');
    expect(u.pathname).toBe('/api/traffic');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      by: 'source',
      country: 'RU',
      metric: 'bps',
      from: String(T + 12_000 - 900_000 - 2_000),
      to: String(T + 12_000),
      step: '10000',
      top: '8',
    });
  });

  it('fetches the four tables at once and fails as one', async () => {
    const urls: string[] = [];
    const data = await loadDrill('BR', 300_000, T, async (url) => {
      urls.push(url);
      return { by: new URL(url, 'http://x').searchParams.get('by') };
    });
    expect(urls.map((u) => new URL(u, 'http://x').searchParams.get('by'))).toEqual([
      'asn',
      'source',
      'destination',
      'vector',
    ]);
    expect(data.vector).toEqual({ by: 'vector' });
    await expect(
      loadDrill('BR', 300_000, T, async (url) => {
        if (url.includes('by=source')) throw new Error('HTTP 503');
        return {};
      }),
    ).rejects.toThrow('HTTP 503');
  });
});
