import { describe, expect, it } from 'vitest';
import { tickIntervalMs, timeTicks } from './timeTicks.js';

describe('time ticks', () => {
  it('spaces ticks for each window', () => {
    expect(tickIntervalMs(5 * 60_000)).toBe(60_000);
    expect(tickIntervalMs(15 * 60_000)).toBe(120_000);
    expect(tickIntervalMs(60 * 60_000)).toBe(600_000);
  });

  it('puts ticks on round times inside the domain', () => {
    const start = Date.UTC(2026, 0, 1, 14, 0, 30);
    expect(
      timeTicks([start, start + 5 * 60_000], 5 * 60_000).map((t) =>
        new Date(t).toISOString().slice(11, 16),
      ),
    ).toEqual(['14:01', '14:02', '14:03', '14:04', '14:05']);
  });
});
