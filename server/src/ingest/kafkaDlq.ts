import { Partitioners, type Admin, type Kafka, type Message, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Reject } from './decode/types.js';
import type { KafkaMetrics } from './kafkaMetrics.js';
import { createTokenBucket } from './kafkaTokenBucket.js';

/** DLQ header names: what went wrong and where the record came from. */
export const DLQ_HEADERS = {
  reason: 'surgewatch-reason',
  detail: 'surgewatch-detail',
  rejects: 'surgewatch-rejects',
  topic: 'surgewatch-source-topic',
  partition: 'surgewatch-source-partition',
  offset: 'surgewatch-source-offset',
} as const;

/** A rejected Kafka message, as offered to the dead-letter queue. */
export interface DlqSample {
  key: Buffer | null;
  value: Buffer | null;
  partition: number;
  offset: string;
  /** Every reject the message produced (an NDJSON message can hold several). */
  rejects: readonly Reject[];
}

export interface DeadLetterQueue {
  readonly topic: string;
  /** Creates the topic if missing and connects the producer; failures only disable the DLQ. */
  start(admin: Admin): Promise<void>;
  /** Never throws, never waits: rate-limited, then sent in the background. */
  offer(sample: DlqSample, nowMs: number): void;
  stop(): Promise<void>;
}

const MAX_QUEUE = 1000;
const MAX_DETAIL = 256;

/** The DLQ message for a sample: the original key and value, the reasons in headers. */
export function dlqMessage(sourceTopic: string, s: DlqSample): Message {
  const first = s.rejects[0];
  const more = s.rejects.length > 1 ? ` (+${s.rejects.length - 1} more)` : '';
  return {
    key: s.key,
    value: s.value,
    headers: {
      [DLQ_HEADERS.reason]: first?.reason ?? 'unknown',
      [DLQ_HEADERS.detail]: `${first?.detail ?? ''}${more}`.slice(0, MAX_DETAIL),
      [DLQ_HEADERS.rejects]: String(s.rejects.length),
      [DLQ_HEADERS.topic]: sourceTopic,
      [DLQ_HEADERS.partition]: String(s.partition),
      [DLQ_HEADERS.offset]: s.offset,
    },
  };
}

/**
 * `<topic>.dlq`: a rate-limited sample of the rejected messages, so an operator can see what
 * a collector sends wrong without the DLQ turning into a second copy of a bad stream.
 */
export function createDeadLetterQueue(
  opts: { kafka: Kafka; sourceTopic: string; enabled: boolean; maxPerSec: number },
  deps: { logger: Logger; metrics: KafkaMetrics },
): DeadLetterQueue {
  const topic = `${opts.sourceTopic}.dlq`;
  const bucket = createTokenBucket(opts.maxPerSec);
  const queue: Message[] = [];
  let producer: Producer | undefined;
  let ready = false;
  let sending: Promise<void> | undefined;
  const skipped = (why: string, n = 1): void => deps.metrics.dlqSkipped.labels(why).inc(n);

  const flush = async (): Promise<void> => {
    while (queue.length > 0 && producer && ready) {
      const messages = queue.splice(0, queue.length);
      try {
        await producer.send({ topic, messages, acks: -1 });
        deps.metrics.dlqWrites.inc(messages.length);
      } catch (err) {
        skipped('send_failed', messages.length);
        deps.logger.warn(
          { err, dlqTopic: topic, count: messages.length },
          'could not write to the dead-letter topic',
        );
      }
    }
  };

  return {
    topic,
    async start(admin) {
      if (!opts.enabled || ready) return;
      try {
        const existing = await admin.listTopics();
        if (!existing.includes(topic)) {
          await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
          deps.logger.info({ dlqTopic: topic }, 'created the dead-letter topic');
        }
        producer ??= opts.kafka.producer({
          allowAutoTopicCreation: false,
          createPartitioner: Partitioners.DefaultPartitioner,
        });
        await producer.connect();
        ready = true;
      } catch (err) {
        deps.logger.warn(
          { err, dlqTopic: topic },
          'dead-letter topic unavailable: rejected records are counted but not sampled',
        );
      }
    },
    offer(sample, nowMs) {
      if (!opts.enabled) return skipped('disabled');
      if (!ready) return skipped('unavailable');
      if (!bucket.take(nowMs)) return skipped('rate_limited');
      if (queue.length >= MAX_QUEUE) return skipped('queue_full');
      queue.push(dlqMessage(opts.sourceTopic, sample));
      sending ??= flush().finally(() => {
        sending = undefined;
      });
    },
    async stop() {
      try {
        await sending;
        await flush();
      } catch {
        /* counted in flush */
      }
      ready = false;
      try {
        await producer?.disconnect();
      } catch {
        /* stop never throws */
      }
    },
  };
}
