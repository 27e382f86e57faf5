// Types of what the TypeScript tests use from harness.mjs.

export interface Scrape {
  /** performance.now() of the scrape, ms. */
  t: number;
  /** Records decoded so far. */
  records: number;
  /** Flows visible so far. */
  flows: number;
}

export interface SteadyRates {
  steadyConsumed: number;
  steadyVisible: number;
  steadySeconds: number;
}

export function steadyRates(series: readonly Scrape[], backlog: number): SteadyRates;
export function quantile(sorted: readonly number[], q: number): number;
export function threadCpu(pid: number): Map<number, number>;
export function threadCores(
  pid: number,
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
  seconds: number,
  workers: number,
): { main: number; workers: number; helpers: number };
