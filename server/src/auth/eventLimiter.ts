/**
 * A token bucket per socket connection: `ratePerSec` events a second on average, bursts of
 * twice that. Time is passed in (ms).
 */
export function createEventLimiter(ratePerSec: number, now: () => number) {
  const capacity = Math.max(1, ratePerSec * 2);
  let tokens = capacity;
  let last = now();
  return {
    /** Takes one event's token; false when the connection is over its rate. */
    take(): boolean {
      const t = now();
      tokens = Math.min(capacity, tokens + ((t - last) / 1000) * ratePerSec);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
