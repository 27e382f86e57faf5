/**
 * Login attempts per client address: at most `max` in a fixed window of `windowMs`, shared
 * by every way of logging in (`POST /api/login`, `/login?token=`). Bounded: past `maxKeys`
 * addresses the oldest is forgotten, so a spoofed-address flood cannot grow memory. Time is
 * passed in (ms).
 */
export function createLoginLimiter(opts: {
  max: number;
  windowMs: number;
  now: () => number;
  maxKeys?: number;
}) {
  const maxKeys = opts.maxKeys ?? 10_000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts one attempt; returns the seconds to wait when over the limit, else 0. */
    take(key: string): number {
      const now = opts.now();
      let w = windows.get(key);
      if (!w || now - w.start >= opts.windowMs) {
        windows.delete(key);
        w = { start: now, count: 0 };
        windows.set(key, w);
        if (windows.size > maxKeys) windows.delete(windows.keys().next().value as string);
      }
      w.count++;
      return w.count > opts.max ? Math.ceil((w.start + opts.windowMs - now) / 1000) : 0;
    },
  };
}
