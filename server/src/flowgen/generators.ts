import type { Flow } from '@surgewatch/shared';
import { createScenario } from '../ingest/demo/index.js';
import { createBaseline } from './baseline.js';

/** Yields the flows that are due at a given time; an empty array means "wait a little". */
export interface FlowGenerator {
  due(nowMs: number): Flow[];
}

/** Most flows generated at once, so encoding and sending overlap. */
const MAX_CHUNK = 5_000;

/** Steady baseline at `rate` records/s from `startMs` (0 = as fast as possible). */
export function baselineGenerator(seed: number, rate: number, startMs: number): FlowGenerator {
  const baseline = createBaseline(seed);
  let generated = 0;
  return {
    due(nowMs) {
      const target =
        rate === 0 ? generated + MAX_CHUNK : Math.floor((rate * (nowMs - startMs)) / 1000);
      const n = Math.min(MAX_CHUNK, target - generated);
      if (n <= 0) return [];
      generated += n;
      return baseline.flows(n, nowMs);
    },
  };
}

/**
 * The built-in demo scenario (calm, wave 1, calm, wave 2), following the wall clock like
 * the in-process demo: each second's flows are sent once that second has closed.
 * `rate` is the visitors' baseline; the attack waves add to it.
 */
export function demoGenerator(seed: number, rate: number, startMs: number): FlowGenerator {
  const scenario = createScenario({ seed, loopMs: 360_000, baselineFps: rate });
  let next = Math.floor(startMs / 1000) * 1000 - 1000;
  let pending: Flow[] = [];
  return {
    due(nowMs) {
      if (pending.length === 0 && nowMs >= next + 1000) {
        pending = scenario.flowsForSecond(next);
        next += 1000;
        // after a stall, skip ahead rather than send a minute of history at once
        if (nowMs - next > 10_000) next = Math.floor(nowMs / 1000) * 1000 - 1000;
      }
      return pending.splice(0, MAX_CHUNK);
    },
  };
}
