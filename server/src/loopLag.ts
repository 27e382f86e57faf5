import { Gauge, Histogram, type Registry } from 'prom-client';
import type { Component } from './lifecycle.js';

/**
 * Watches the event loop: a timer that should fire every `intervalMs` reports how late it
 * was. When aggregation hogs the loop, ticks to browsers are late too; the Kafka source then
 * pauses its topic until the loop has caught up (backpressure).
 */
export function createLoopLag(
  registry: Registry,
  intervalMs = 100,
  behindMs = 250,
  now: () => number = () => performance.now(),
): Component & { behind(): boolean } {
  const gauge = new Gauge({
    name: 'surgewatch_event_loop_lag_seconds',
    help: 'How late the last event-loop probe ran',
    registers: [registry],
  });
  // every probe, so a stall between two scrapes still shows (the gauge holds the last only)
  const histogram = new Histogram({
    name: 'surgewatch_event_loop_delay_seconds',
    help: 'How late each event-loop probe ran',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  let timer: NodeJS.Timeout | undefined;
  let lag = 0;
  let expected = 0;
  return {
    name: 'loop-lag',
    behind: () => lag > behindMs,
    async start() {
      expected = now() + intervalMs;
      timer = setInterval(() => {
        const t = now();
        lag = Math.max(0, t - expected);
        expected = t + intervalMs;
        gauge.set(lag / 1000);
        histogram.observe(lag / 1000);
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
