import type { SourceStatus } from '@surgewatch/shared';
import type { FlowSink, FlowSource } from '../source.js';
import { createScenario, type ScenarioOptions } from './scenario.js';

export interface DemoSourceOptions extends ScenarioOptions {
  /** History generated at start so the charts are full at once, ms. */
  backfillMs: number;
}

export interface DemoSourceDeps {
  sink: FlowSink;
  now: () => number;
}

/**
 * The built-in demo: once per wall-clock second it feeds the scenario's flows for the
 * second that just ended through the same sink a Kafka source uses.
 */
export function createDemoSource(opts: DemoSourceOptions, deps: DemoSourceDeps): FlowSource {
  const scenario = createScenario(opts);
  let timer: NodeJS.Timeout | undefined;
  let next = 0;
  let lastRecordTs: number | null = null;
  let lastCount = 0;
  let running = false;
  let backfilling = false;

  const emit = (t: number): void => {
    const flows = scenario.flowsForSecond(t);
    deps.sink(flows);
    lastCount = flows.length;
    for (const f of flows) if (lastRecordTs === null || f.end > lastRecordTs) lastRecordTs = f.end;
  };

  const schedule = (): void => {
    if (!running) return;
    const now = deps.now();
    // run just after each second closes
    timer = setTimeout(tick, 1000 - (now % 1000) + 20);
  };

  const tick = (): void => {
    const closed = Math.floor(deps.now() / 1000) * 1000 - 1000;
    // catch up after a stall (laptop sleep, long GC) without flooding: at most 60 s
    if (closed - next > 60_000) next = closed - 60_000;
    while (next <= closed) {
      emit(next);
      next += 1000;
    }
    schedule();
  };

  return {
    name: 'demo-source',
    async start() {
      running = true;
      const now = deps.now();
      next = Math.floor(now / 1000) * 1000 - Math.floor(opts.backfillMs / 1000) * 1000;
      backfilling = true;
      // backfill a few seconds per turn of the event loop, so HTTP answers meanwhile
      const backfill = (): void => {
        if (!running) return;
        const current = Math.floor(deps.now() / 1000) * 1000;
        for (let i = 0; i < 5 && next < current; i++) {
          emit(next);
          next += 1000;
        }
        if (next < current) setImmediate(backfill);
        else {
          backfilling = false;
          schedule();
        }
      };
      backfill();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    status(): SourceStatus {
      return {
        kind: 'demo',
        connected: running,
        // while the history is being generated, the records still to come
        lag: backfilling
          ? Math.max(0, (Math.floor(deps.now() / 1000) * 1000 - next) / 1000) * opts.baselineFps
          : null,
        recordsPerSec: lastCount,
        decodeErrors: 0,
        lastRecordTs,
        message: `demo scenario (seed ${opts.seed}, phase ${scenario.phaseAt(deps.now())})`,
      };
    },
  };
}
