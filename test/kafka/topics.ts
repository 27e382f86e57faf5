import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/** A topic (or group) name no other test or run uses: `<prefix>-<time>-<random>`. */
export function uniqueTopic(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Creates `topic` with `partitions` partitions and waits for their leaders. */
export async function createTopic(brokers: string[], topic: string, partitions = 1): Promise<void> {
  const admin = new Kafka({
    clientId: 'surgewatch-test-admin',
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}
