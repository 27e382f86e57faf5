/**
 * A shared wall clock for the views: one timer for the whole page, aligned to the second
 * so every clock and age on screen turns over together. It runs only while someone listens.
 */
export interface Ticker {
  now(): number;
  subscribe(listener: () => void): () => void;
}

export interface Timers {
  set(f: () => void, ms: number): ReturnType<typeof setTimeout>;
  clear(handle: ReturnType<typeof setTimeout>): void;
}

export function createTicker(
  intervalMs = 1000,
  clock: () => number = Date.now,
  // Wrapped: the browser's timer functions throw "Illegal invocation" when called as methods.
  timers: Timers = { set: (f, ms) => setTimeout(f, ms), clear: (h) => clearTimeout(h) },
): Ticker {
  const listeners = new Set<() => void>();
  let current = clock();
  let timer: ReturnType<typeof setTimeout> | null = null;

  function arm(): void {
    const t = clock();
    // Land just after the next boundary so formatted seconds have already changed.
    timer = timers.set(fire, intervalMs - (t % intervalMs) + 5);
  }

  function fire(): void {
    current = clock();
    for (const l of [...listeners]) l();
    if (listeners.size > 0) arm();
    else timer = null;
  }

  return {
    now: () => current,
    subscribe(listener) {
      listeners.add(listener);
      if (timer === null) {
        current = clock();
        arm();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== null) {
          timers.clear(timer);
          timer = null;
        }
      };
    },
  };
}
