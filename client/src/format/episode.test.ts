import type { AlertEpisode, AlertExplanation } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { formatGap, topVectors, vectorsText, waveLabel, waveName } from './episode.js';

const ep = (n: number, previousResolvedAt: number | null): AlertEpisode => ({
  n,
  previousId: n > 1 ? 'prev' : null,
  previousStartedAt: n > 1 ? 0 : null,
  previousResolvedAt,
});

describe('waveName', () => {
  it('uses words for the first five waves, then numbers', () => {
    expect([1, 2, 3, 4, 5, 6, 12].map(waveName)).toEqual([
      'first wave',
      'second wave',
      'third wave',
      'fourth wave',
      'fifth wave',
      'wave 6',
      'wave 12',
    ]);
  });
});

describe('formatGap', () => {
  it('rounds to seconds, minutes, hours and minutes, days and hours', () => {
    expect(formatGap(0)).toBe('0 s');
    expect(formatGap(-5)).toBe('0 s');
    expect(formatGap(44_600)).toBe('45 s');
    expect(formatGap(59_400)).toBe('59 s');
    expect(formatGap(60_000)).toBe('1 min');
    expect(formatGap(8 * 60_000 + 50_000)).toBe('9 min');
    expect(formatGap(60 * 60_000)).toBe('1 h');
    expect(formatGap(80 * 60_000)).toBe('1 h 20 min');
    expect(formatGap(26 * 3_600_000 + 10 * 60_000)).toBe('1 d 2 h');
    expect(formatGap(48 * 3_600_000)).toBe('2 d');
  });
});

describe('waveLabel', () => {
  const start = 1_000_000_000;
  it('is null for a first wave and for alerts recorded before episodes', () => {
    expect(waveLabel({ startedAt: start, episode: ep(1, null) })).toBeNull();
    expect(waveLabel({ startedAt: start })).toBeNull();
  });

  it('names the wave and the gap since the previous one ended', () => {
    expect(waveLabel({ startedAt: start, episode: ep(2, start - 9 * 60_000) })).toBe(
      'second wave, 9 min after the first',
    );
    expect(waveLabel({ startedAt: start, episode: ep(3, start - 40_000) })).toBe(
      'third wave, 40 s after the second',
    );
    expect(waveLabel({ startedAt: start, episode: ep(6, start - 2 * 3_600_000) })).toBe(
      'wave 6, 2 h after the fifth',
    );
    expect(waveLabel({ startedAt: start, episode: ep(7, start - 120_000) })).toBe(
      'wave 7, 2 min after wave 6',
    );
  });

  it('leaves the gap out when the previous end is unknown', () => {
    expect(waveLabel({ startedAt: start, episode: ep(2, null) })).toBe('second wave');
  });
});

describe('topVectors', () => {
  const explanation = (vectors: AlertExplanation['vectors']): AlertExplanation => ({
    condition: '',
    baseline: null,
    countries: [],
    asns: [],
    sources: [],
    vectors,
    series: [],
    seriesFrom: 0,
  });

  it("takes the server's shares, heaviest first, with the shared vector names", () => {
    const top = topVectors(
      {
        explanation: explanation([
          { key: 'udp-amp-dns', name: 'udp-amp-dns', bps: 3e9, share: 0.31 },
          { key: 'tcp-syn', name: '', bps: 6e9, share: 0.62 },
          { key: 'icmp', name: 'ICMP', bps: 1e8, share: 0.01 },
        ]),
      },
      2,
    );
    expect(top).toEqual([
      { key: 'tcp-syn', name: 'TCP SYN', share: 0.62, bps: 6e9 },
      { key: 'udp-amp-dns', name: 'UDP reflection: DNS (53)', share: 0.31, bps: 3e9 },
    ]);
    expect(vectorsText(top)).toBe('TCP SYN 62% · UDP reflection: DNS (53) 31%');
  });

  it('falls back to parts of the listed sum without shares, and to nothing without vectors', () => {
    const top = topVectors(
      {
        explanation: explanation([
          { key: 'weird', name: 'Something', bps: 1 },
          { key: 'tcp-syn', name: '', bps: 3 },
        ]),
      },
      3,
    );
    expect(top.map((v) => [v.name, v.share])).toEqual([
      ['TCP SYN', 0.75],
      ['Something', 0.25],
    ]);
    expect(topVectors({}, 3)).toEqual([]);
    expect(vectorsText([{ key: 'x', name: 'X', share: 0.004, bps: 1 }])).toBe('');
  });
});
