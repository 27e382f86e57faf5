import v8 from 'node:v8';

/**
 * How much V8 lets the old generation grow past what the last full collection kept alive,
 * in percent. Aggregation makes garbage at the rate flows arrive (each open second's keys
 * die when it is sealed), and V8's own heuristic then lets the heap grow to about four times
 * the live data: under the spoofed-flood benchmark a 110 MiB live heap became 550 MiB of
 * resident memory. A factor of 2 keeps it near 350 MiB at the same throughput
 * (docs/benchmarks.md). A growth factor, not a limit: a larger live heap is never refused.
 */
export const HEAP_GROWING_PERCENT = 100;

/**
 * Applies {@link HEAP_GROWING_PERCENT} unless the process was started with its own
 * `--heap-growing-percent` (which then wins). Returns whether it applied ours.
 */
export function tuneHeap(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => a.startsWith('--heap-growing-percent'))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
