import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLoopLag } from './loopLag.js';

describe('loop lag', () => {
  afterEach(() => vi.useRealTimers());

  it('is behind while the event loop runs late, and catches up', async () => {
    vi.useFakeTimers();
    let t = 0;
    const registry = new Registry();
    const lag = createLoopLag(registry, 100, 250, () => t);
    await lag.start();
    t = 100;
    vi.advanceTimersByTime(100);
    expect(lag.behind()).toBe(false);
    // the loop was blocked for half a second before the probe could run
    t = 700;
    vi.advanceTimersByTime(100);
    expect(lag.behind()).toBe(true);
    expect(await registry.getSingleMetricAsString('surgewatch_event_loop_lag_seconds')).toMatch(
      / 0\.5$/m,
    );
    t = 800;
    vi.advanceTimersByTime(100);
    expect(lag.behind()).toBe(false);
    // the gauge holds the last probe only; the histogram keeps the stall
    const hist = await registry.getSingleMetricAsString('surgewatch_event_loop_delay_seconds');
    expect(hist).toMatch(/^surgewatch_event_loop_delay_seconds_count 3$/m);
    expect(hist).toMatch(/^surgewatch_event_loop_delay_seconds_bucket\{le="0.25"\} 2$/m);
    expect(hist).toMatch(/^surgewatch_event_loop_delay_seconds_bucket\{le="0.5"\} 3$/m);
    expect(hist).toMatch(/^surgewatch_event_loop_delay_seconds_sum 0.5$/m);
    await lag.stop();
    await lag.stop();
  });
});
