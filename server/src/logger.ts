import { pino, type Logger } from 'pino';

/** Structured JSON logs on stdout; one line per event, `msg` plus fields. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'surgewatch' }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
