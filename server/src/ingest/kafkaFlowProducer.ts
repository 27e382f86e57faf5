import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { kafkaClientConfig, type KafkaSourceConfig } from './kafkaConfig.js';
import { classifyKafkaError, type KafkaSourceError } from './kafkaErrors.js';

/** Writes raw message values to a topic: what flowgen (and tests, benchmarks) use to play a collector. */
export interface FlowProducer {
  /** Creates `topic` with `partitions` if missing; returns its partition count. */
  ensureTopic(topic: string, partitions: number): Promise<{ created: boolean; partitions: number }>;
  send(topic: string, values: readonly Buffer[]): Promise<void>;
  close(): Promise<void>;
  /** Maps a kafkajs error to a KafkaSourceError with an operator-readable message. */
  explain(err: unknown, topic: string): KafkaSourceError;
}

export type FlowProducerOptions = Pick<KafkaSourceConfig, 'brokers' | 'clientId' | 'ssl' | 'sasl'>;

export async function connectFlowProducer(opts: FlowProducerOptions): Promise<FlowProducer> {
  const kafka = new Kafka({
    ...kafkaClientConfig(opts, (p) => readFileSync(p)),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const producer: Producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await admin.connect();
    await producer.connect();
  } catch (err) {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    throw classifyKafkaError(err, { brokers: opts.brokers, topic: '' });
  }
  return {
    async ensureTopic(topic, partitions) {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: partitions }],
        waitForLeaders: true,
      });
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      return { created, partitions: meta.topics[0]?.partitions.length ?? 0 };
    },
    async send(topic, values) {
      await producer.send({ topic, acks: 1, messages: values.map((value) => ({ value })) });
    },
    async close() {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
    explain(err, topic) {
      return classifyKafkaError(err, { brokers: opts.brokers, topic });
    },
  };
}
