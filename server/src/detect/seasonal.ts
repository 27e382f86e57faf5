import type { AlertBaseline } from '@surgewatch/shared';
import { medianOf } from './baseline.js';

export const DAY_MS = 86_400_000;

/** Time-of-day settings (`alerting.seasonal`). */
export interface SeasonalSettings {
  /** Previous days looked at (0 = off). */
  days: number;
  /** Days with history needed before the seasonal level counts. */
  minDays: number;
  /** Width of the time-of-day slot, centred on the second evaluated, ms. */
  slotMs: number;
}

/**
 * Per-minute means of a series (metric per second) over [from, to), one entry per minute,
 * null where no minute history exists.
 */
export type MinuteHistory = (from: number, to: number) => readonly (number | null)[];

/**
 * The level of a series at the time of day of second `t` (ms epoch) on previous days: for each
 * of the last `days` days, the median of its per-minute means in the slot centred on the same
 * time of day (a day counts when at least a third of the slot's minutes have history); then the
 * median over those days, and the MAD of every minute mean used around it. Medians twice over,
 * so a burst shorter than half a slot, or an attack on fewer than half of the days, does not
 * move it. Null when no day has history (or seasonality is off).
 */
export function seasonalLevel(
  t: number,
  history: MinuteHistory,
  s: SeasonalSettings,
): { median: number; mad: number; days: number } | null {
  if (s.days <= 0) return null;
  const minutes = Math.max(1, Math.round(s.slotMs / 60_000));
  const levels: number[] = [];
  const all: number[] = [];
  for (let d = 1; d <= s.days; d++) {
    const centre = t - d * DAY_MS;
    const from = centre - (centre % 60_000) - Math.floor(minutes / 2) * 60_000;
    const seen = history(from, from + minutes * 60_000).filter((x): x is number => x !== null);
    // a third: with rollups kept for exactly N days, the oldest day still has the later
    // part of its slot
    if (seen.length * 3 < minutes) continue;
    levels.push(medianOf(seen));
    all.push(...seen);
  }
  if (levels.length === 0) return null;
  const median = medianOf(levels);
  return { median, mad: medianOf(all.map((x) => Math.abs(x - median))), days: levels.length };
}

/**
 * The baseline in force: the recent one, raised to the seasonal level once `minDays` of
 * history exist. Seasonality only raises it (the larger median and MAD): at the time of day
 * traffic normally peaks the threshold is where that peak normally is, while at quiet hours
 * the recent past still rules, so a flood at night is as visible as before.
 */
export function withSeason(
  recent: AlertBaseline,
  level: { median: number; mad: number; days: number } | null,
  s: SeasonalSettings,
): AlertBaseline {
  if (!level) return recent;
  const seasonal = { ...level, needed: s.minDays };
  if (level.days < s.minDays) return { ...recent, seasonal };
  return {
    ...recent,
    median: Math.max(recent.median, level.median),
    mad: Math.max(recent.mad, level.mad),
    seasonal,
  };
}
