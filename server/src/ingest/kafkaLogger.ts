import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

/** kafkajs namespaces that log every failed connection attempt: a flood during an outage. */
const PER_ATTEMPT = new Set(['Connection', 'BrokerPool']);

/**
 * Routes kafkajs logs into pino. kafkajs logs every retriable protocol error (a rebalance in
 * progress, a coordinator loading) at ERROR, and every refused connection; those are routine,
 * so they become warnings (connection attempts: debug) and the source logs real failures
 * itself, once, with a code (kafkaHealth.ts).
 */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _t, logger: _l, ...extra } = log;
      const fields = { kafkajs: namespace, ...extra };
      if (level === logLevel.ERROR || level === logLevel.WARN) {
        if (PER_ATTEMPT.has(namespace)) logger.debug(fields, message);
        else logger.warn(fields, message);
      } else if (level === logLevel.INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}
