/**
 * A token bucket: at most `ratePerSec` takes per second on average, bursts up to `burst`.
 * Pure: the caller passes the time (ms), so it is deterministic under test.
 */
export interface TokenBucket {
  /** Takes one token if there is one at time `nowMs`; false when the rate is exceeded. */
  take(nowMs: number): boolean;
}

export function createTokenBucket(
  ratePerSec: number,
  burst = Math.max(1, Math.ceil(ratePerSec)),
): TokenBucket {
  if (!(ratePerSec > 0)) throw new RangeError(`ratePerSec must be > 0, got ${ratePerSec}`);
  let tokens = burst;
  let last: number | undefined;
  return {
    take(nowMs) {
      if (last !== undefined && nowMs > last)
        tokens = Math.min(burst, tokens + ((nowMs - last) / 1000) * ratePerSec);
      if (last === undefined || nowMs > last) last = nowMs;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
