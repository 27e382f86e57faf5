import type { Logger } from 'pino';
import { classifyKafkaError, type KafkaSourceError } from './kafkaErrors.js';

/** Repeats of one problem are logged at most this often, ms. */
const LOG_REPEAT_MS = 30_000;

/**
 * Is the Kafka source connected, and if not, why? Connected = the broker answers (admin
 * probe, fetches) AND the consumer is in its group. Fed by kafkajs instrumentation events and
 * the periodic probe; read by `status()`. Logs each problem once, with its code.
 */
export interface KafkaHealth {
  readonly connected: boolean;
  readonly brokerOk: boolean;
  readonly problem: KafkaSourceError | undefined;
  brokerAnswered(): void;
  /** The broker did not answer; returns the classified error. */
  brokerFailed(err: unknown): KafkaSourceError;
  consumerJoined(partitions: number[]): void;
  /** The consumer left its group; `err` when it crashed, `quiet` when kafkajs restarts it. */
  consumerDown(err?: unknown, quiet?: boolean): KafkaSourceError | undefined;
  /** A problem that is not a connection state (missing topic, auth). */
  failed(err: unknown): KafkaSourceError;
  /** Human-readable state for `source:status`. */
  message(): string;
}

export function createKafkaHealth(
  ctx: { brokers: readonly string[]; topic: string; groupId: string },
  deps: { logger: Logger; now: () => number; onChange: (connected: boolean) => void },
): KafkaHealth {
  let brokerOk = false;
  let consumerUp = false;
  let partitions: number[] = [];
  let problem: KafkaSourceError | undefined;
  let lost = false;
  let lastLogged = { code: '', at: -Infinity };

  const changed = (): void => {
    const connected = brokerOk && consumerUp;
    if (connected && problem) {
      deps.logger.info({ partitions }, 'Kafka source connected again');
      problem = undefined;
      lastLogged = { code: '', at: -Infinity };
    }
    deps.onChange(connected);
  };

  const record = (err: unknown, quiet = false): KafkaSourceError => {
    const e = classifyKafkaError(err, ctx);
    problem = e;
    const now = deps.now();
    if (e.code !== lastLogged.code || now - lastLogged.at > LOG_REPEAT_MS) {
      const fields = {
        code: e.code,
        retriable: e.retriable,
        brokers: ctx.brokers,
        ...(e.cause ? { err: e.cause } : {}),
      };
      if (quiet) deps.logger.warn(fields, e.message);
      else deps.logger.error(fields, e.message);
      lastLogged = { code: e.code, at: now };
    }
    return e;
  };

  return {
    get connected() {
      return brokerOk && consumerUp;
    },
    get brokerOk() {
      return brokerOk;
    },
    get problem() {
      return problem;
    },
    brokerAnswered() {
      brokerOk = true;
      changed();
    },
    brokerFailed(err) {
      brokerOk = false;
      const e = record(err);
      changed();
      return e;
    },
    consumerJoined(p) {
      partitions = p;
      lost = false;
      consumerUp = true;
      brokerOk = true;
      changed();
    },
    consumerDown(err, quiet) {
      // whether the broker still answers is unknown until the next probe or join: a dropped
      // consumer is most often the first sign of a broker that went away
      consumerUp = false;
      brokerOk = false;
      lost = true;
      const e = err === undefined ? undefined : record(err, quiet);
      changed();
      return e;
    },
    failed(err) {
      const e = record(err);
      changed();
      return e;
    },
    message() {
      if (brokerOk && consumerUp)
        return `consuming ${ctx.topic} (partitions ${partitions.join(',') || 'none assigned'})`;
      if (problem && problem.code !== 'broker_unreachable' && problem.code !== 'kafka_error')
        return problem.message;
      if (brokerOk) return `broker reachable; consumer joining group ${ctx.groupId}`;
      if (problem) return problem.message;
      const to = ctx.brokers.join(',');
      return lost ? `consumer lost its connection; reconnecting to ${to}` : `connecting to ${to}`;
    },
  };
}
