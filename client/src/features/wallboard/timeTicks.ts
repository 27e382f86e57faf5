const MINUTE = 60_000;

/** Tick spacing for a chart window, ms: about 5–8 labels whatever the window. */
export function tickIntervalMs(windowMs: number): number {
  const steps = [
    MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    60 * MINUTE,
  ];
  return steps.find((s) => windowMs / s <= 8) ?? 60 * MINUTE;
}

/**
 * Time-axis ticks inside `domain` (ms epoch), on round multiples of the interval so labels
 * read 14:05, 14:10… and stay put while the chart scrolls.
 */
export function timeTicks(domain: readonly [number, number], windowMs: number): number[] {
  const step = tickIntervalMs(windowMs);
  const ticks: number[] = [];
  for (let t = Math.ceil(domain[0] / step) * step; t <= domain[1]; t += step) ticks.push(t);
  return ticks;
}
