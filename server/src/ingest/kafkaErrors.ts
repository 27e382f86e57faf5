/** Why the Kafka source is not consuming. */
export type KafkaSourceErrorCode =
  | 'broker_unreachable' // no broker answered (refused, DNS, timeout, TLS handshake)
  | 'topic_missing' // the input topic does not exist (auto-creation is off on real clusters)
  | 'auth_failed' // SASL authentication or authorisation refused
  | 'ssl_files' // a configured CA/cert/key file cannot be read
  | 'consumer_crashed' // the consumer stopped on an error kafkajs would not retry
  | 'checkpoint_failed' // a checkpoint transaction failed: its records are read again
  | 'rebuild_failed' // the live view could not be rebuilt after a failed checkpoint: retried
  | 'producer_fenced' // another process took this instance's transactional id
  | 'restore_incomplete' // the partials could not all be read back at start-up
  | 'kafka_error'; // anything else kafkajs reported

/** An error of the Kafka source: `code` for logs and status, `retriable` for the supervisor. */
export class KafkaSourceError extends Error {
  override readonly name = 'KafkaSourceError';
  readonly code: KafkaSourceErrorCode;
  readonly retriable: boolean;
  override readonly cause?: unknown;

  constructor(
    code: KafkaSourceErrorCode,
    message: string,
    opts: { retriable: boolean; cause?: unknown },
  ) {
    super(message);
    this.code = code;
    this.retriable = opts.retriable;
    this.cause = opts.cause;
  }
}

const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNonRetriableError', // kafkajs wraps "retries exhausted" connection errors in this
  'KafkaJSNumberOfRetriesExceeded',
]);

/** The innermost error of a kafkajs cause chain (kafkajs nests retries in `.cause`). */
function rootCause(err: unknown): unknown {
  let e = err;
  for (let i = 0; i < 10 && e && typeof e === 'object' && 'cause' in e && e.cause; i++) e = e.cause;
  return e;
}

function describe(err: unknown): { name: string; message: string; type?: string } {
  if (err instanceof Error)
    return { name: err.name, message: err.message, type: (err as { type?: string }).type };
  return { name: 'Error', message: String(err) };
}

/**
 * Maps whatever kafkajs threw to a KafkaSourceError with a message an operator can act on.
 * `brokers` and `topic` go into the message because "connection refused" alone says nothing.
 */
export function classifyKafkaError(
  err: unknown,
  ctx: { brokers: readonly string[]; topic: string },
): KafkaSourceError {
  if (err instanceof KafkaSourceError) return err;
  const outer = describe(err);
  const inner = describe(rootCause(err));
  const text = `${outer.message} ${inner.message}`;
  const list = ctx.brokers.join(',');
  if (
    outer.name === 'KafkaJSSASLAuthenticationError' ||
    inner.name === 'KafkaJSSASLAuthenticationError' ||
    /SASL|authenticat/i.test(text)
  ) {
    return new KafkaSourceError(
      'auth_failed',
      `Kafka authentication failed at ${list}: ${inner.message}`,
      { retriable: true, cause: err },
    );
  }
  if (inner.type === 'UNKNOWN_TOPIC_OR_PARTITION' || outer.type === 'UNKNOWN_TOPIC_OR_PARTITION') {
    return new KafkaSourceError(
      'topic_missing',
      `Kafka topic "${ctx.topic}" does not exist on ${list}`,
      { retriable: true, cause: err },
    );
  }
  if (inner.type === 'TOPIC_AUTHORIZATION_FAILED' || inner.type === 'GROUP_AUTHORIZATION_FAILED') {
    return new KafkaSourceError('auth_failed', `Kafka refused access (${inner.type}) at ${list}`, {
      retriable: true,
      cause: err,
    });
  }
  if (
    UNREACHABLE.has(outer.name) ||
    UNREACHABLE.has(inner.name) ||
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|timed? ?out|Connection/i.test(text)
  ) {
    return new KafkaSourceError(
      'broker_unreachable',
      `Kafka broker unreachable: ${list} (${inner.message})`,
      { retriable: true, cause: err },
    );
  }
  return new KafkaSourceError('kafka_error', `Kafka error at ${list}: ${inner.message}`, {
    retriable: true,
    cause: err,
  });
}

/** Broker answers that mean another producer now owns our transactional id. */
const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);

/** True when a kafkajs error (or any error in its cause chain) says this producer was fenced. */
export function isFenced(err: unknown): boolean {
  let e = err;
  for (let i = 0; i < 10 && e && typeof e === 'object'; i++) {
    if (FENCED.has(String((e as { type?: unknown }).type))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The input topic does not exist: auto-creation is off on real clusters. */
export function topicMissing(cfg: { topic: string; brokers: readonly string[] }): KafkaSourceError {
  return new KafkaSourceError(
    'topic_missing',
    `Kafka topic "${cfg.topic}" does not exist on ${cfg.brokers.join(',')}: create it (or fix kafka.topic)`,
    { retriable: true },
  );
}
