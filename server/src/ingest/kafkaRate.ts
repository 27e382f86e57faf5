/**
 * Records per second over the last `windowSec` whole seconds (the current, partial second
 * excluded so the number does not saw-tooth). Pure: times are passed in, ms epoch.
 */
export interface RateMeter {
  add(count: number, nowMs: number): void;
  perSec(nowMs: number): number;
}

export function createRateMeter(windowSec = 5): RateMeter {
  const counts = new Float64Array(windowSec + 1);
  const seconds = new Float64Array(windowSec + 1).fill(-1);
  const slot = (sec: number): number => {
    const i = sec % counts.length;
    if (seconds[i] !== sec) {
      seconds[i] = sec;
      counts[i] = 0;
    }
    return i;
  };
  return {
    add(count, nowMs) {
      const i = slot(Math.floor(nowMs / 1000));
      counts[i] = (counts[i] ?? 0) + count;
    },
    perSec(nowMs) {
      const current = Math.floor(nowMs / 1000);
      let sum = 0;
      for (let s = current - windowSec; s < current; s++) {
        const i = s % counts.length;
        if (seconds[i] === s) sum += counts[i] ?? 0;
      }
      return sum / windowSec;
    },
  };
}
