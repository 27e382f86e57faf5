import type { Alert } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { Detector } from './detector.js';
import { alertingSchema, rulesSchema } from './rules.js';
import { DAY_MS, seasonalLevel, withSeason } from './seasonal.js';
import { createMemoryStore } from './store.js';
import { fakeReader } from './testing.js';

const S = { days: 7, minDays: 1, slotMs: 600_000 };
/** Midnight UTC, the start of "yesterday" in these tests. */
const D0 = Date.UTC(2027, 0, 4);
const MIN = 60_000;
const HOUR = 3_600_000;

describe('seasonalLevel', () => {
  it('takes the median of the slot on each previous day with history, then across days', () => {
    const t = D0 + 3 * DAY_MS + 12 * HOUR + 30_000;
    const asked: number[] = [];
    const level = seasonalLevel(
      t,
      (from, to) => {
        asked.push(from);
        expect(to - from).toBe(10 * MIN);
        const day = Math.floor((from - D0) / DAY_MS);
        // three days of history: 100, 300 (one a whole-slot attack), 120; one minute missing
        if (day < 0) return Array<null>(10).fill(null);
        const v = [100, 300, 120][day] as number;
        return Array.from({ length: 10 }, (_, i) => (i === 0 ? null : v));
      },
      S,
    );
    // slot centred on 12:00: 11:55 … 12:05 on each of the 7 days back
    expect(asked[0]).toBe(t - DAY_MS - 30_000 - 5 * MIN);
    expect(asked).toHaveLength(7);
    expect(level).toEqual({ median: 120, mad: 20, days: 3 });
  });

  it('ignores a day with history for less than a third of the slot, and a short burst', () => {
    const t = D0 + 2 * DAY_MS;
    const level = seasonalLevel(
      t,
      (from) =>
        from < D0
          ? [null, null, null, null, null, null, null, 50, 50, 50]
          : [100, 100, 100, 900, 900, 100, 100, 100, 100, 100],
      S,
    );
    expect(level).toEqual({ median: 100, mad: 0, days: 1 });
    // rollups kept for exactly a day: yesterday's slot from the minute after t − 24 h on
    const kept = seasonalLevel(
      t + 30_000,
      (from, to) => {
        const out: (number | null)[] = [];
        for (let m = from; m < to; m += MIN) out.push(m >= t + 30_000 - DAY_MS ? 7 : null);
        return out;
      },
      S,
    );
    expect(kept).toEqual({ median: 7, mad: 0, days: 1 });
    expect(seasonalLevel(t, () => [1, 2, 3], { ...S, days: 0 })).toBeNull();
    expect(seasonalLevel(t, () => [null, null], S)).toBeNull();
  });

  it('only raises the recent baseline, and only once enough days exist', () => {
    const recent = { median: 100, mad: 10, samples: 180, warm: true };
    expect(withSeason(recent, { median: 400, mad: 5, days: 2 }, S)).toEqual({
      median: 400,
      mad: 10,
      samples: 180,
      warm: true,
      seasonal: { median: 400, mad: 5, days: 2, needed: 1 },
    });
    expect(withSeason(recent, { median: 40, mad: 50, days: 2 }, S)).toMatchObject({
      median: 100,
      mad: 50,
    });
    expect(withSeason(recent, { median: 400, mad: 5, days: 2 }, { ...S, minDays: 3 })).toEqual({
      ...recent,
      seasonal: { median: 400, mad: 5, days: 2, needed: 3 },
    });
    expect(withSeason(recent, null, S)).toBe(recent);
  });
});

/**
 * A daily wave: 100 b/s at night, rising along a half cosine to 1,000 b/s between 09:00 and
 * 09:20, back down at 17:00 — the same every day. Today a real surge (5×) at 12:00 for 5 min.
 */
function traffic(t: number): number {
  const h = (t % DAY_MS) / HOUR;
  const ramp = (x: number) =>
    100 + (900 * (1 - Math.cos(Math.PI * Math.min(1, Math.max(0, x))))) / 2;
  const base = h < 13 ? ramp((h - 9) * 3) : ramp((17 + 1 / 3 - h) * 3);
  const today = t >= D0 + DAY_MS;
  const surge = today && t >= D0 + DAY_MS + 12 * HOUR && t < D0 + DAY_MS + 12 * HOUR + 5 * MIN;
  return surge ? base * 5 : base;
}

function run(
  seasonalDays: number,
  from: number,
  to: number,
  more: [number, number][] = [],
  bps: (t: number) => number = traffic,
) {
  const settings = alertingSchema.parse({
    sampleEvery: '10s',
    minSamples: 6,
    baselineWindow: '30m',
    seasonal: { days: seasonalDays },
  });
  const rules = rulesSchema.parse([
    { name: 'surge', metric: 'bps', when: { baseline: { k: 3, floor: 10 } }, for: '30s' },
  ]);
  const store = createMemoryStore();
  const det = new Detector(rules, settings, store);
  // minute history from yesterday's midnight on
  const reader = fakeReader((t) => ({ bps: bps(t) }), { minutesFrom: D0 });
  const fired: Alert[] = [];
  for (const [a, b] of [[from, to], ...more]) {
    for (let t = a as number; t < (b as number); t += 1000) {
      for (const u of det.evaluate(t, reader))
        if (
          u.type === 'upsert' &&
          u.alert.state === 'firing' &&
          !fired.some((f) => f.id === u.alert.id)
        )
          fired.push(u.alert);
    }
  }
  return { fired, det, store, reader };
}

describe('detector with time-of-day seasonality', () => {
  const TODAY = D0 + DAY_MS;

  it('a recent-only baseline fires on the daily morning rise; the seasonal one does not', () => {
    const plain = run(0, TODAY + 8 * HOUR, TODAY + 10 * HOUR);
    expect(plain.fired).toHaveLength(1);
    const a = plain.fired[0]!;
    // 3 × the night's 100 b/s is crossed 6 min 15 s into the rise; fires 30 s later
    expect(a.startedAt).toBeGreaterThan(TODAY + 9 * HOUR + 6 * MIN);
    expect(a.startedAt).toBeLessThan(TODAY + 9 * HOUR + 7 * MIN);
    expect(a.explanation?.baseline?.seasonal).toBeUndefined();

    const seasonal = run(7, TODAY + 8 * HOUR, TODAY + 10 * HOUR);
    expect(seasonal.fired).toEqual([]);
  });

  it('still fires on a real surge on top of the daily peak, and says how it got its baseline', () => {
    const { fired } = run(7, TODAY + 11 * HOUR, TODAY + 12 * HOUR + 10 * MIN);
    expect(fired).toHaveLength(1);
    const a = fired[0]!;
    expect(a.startedAt).toBe(TODAY + 12 * HOUR);
    expect(a.value).toBe(5000);
    expect(a.threshold).toBe(3000);
    expect(a.explanation?.baseline).toEqual({
      median: 1000,
      mad: 0,
      samples: 180,
      warm: true,
      seasonal: { median: 1000, mad: 0, days: 1, needed: 1 },
    });
  });

  it("leaves the minutes a series alerted out of its history: yesterday's attack is not normal", () => {
    // the same surge at 12:00 yesterday (for 30 min) and today
    const twice = (t: number) => {
      const h = (t % DAY_MS) / HOUR;
      return h >= 12 && h < 12.5 ? 5000 : traffic(t) > 1000 ? 1000 : traffic(t);
    };
    const yesterday: [number, number] = [D0 + 11 * HOUR, D0 + 13 * HOUR];
    const { fired } = run(
      7,
      ...yesterday,
      [[TODAY + 11 * HOUR, TODAY + 12 * HOUR + 10 * MIN]],
      twice,
    );
    expect(fired.map((a) => a.startedAt)).toEqual([D0 + 12 * HOUR, TODAY + 12 * HOUR]);
    // only the 5 minutes before 12:00 count from yesterday's slot, at 1,000 b/s
    expect(fired[1]?.explanation?.baseline?.seasonal).toEqual({
      median: 1000,
      mad: 0,
      days: 1,
      needed: 1,
    });
  });
});
