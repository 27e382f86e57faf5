/**
 * A component of the server: built by a factory that does no I/O, started in order by
 * main.ts, stopped in reverse. `stop()` is idempotent, flushes what it holds and never throws.
 */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
