#!/usr/bin/env node
// Does kafkajs work against the broker at KAFKA_BROKERS (default 127.0.0.1:9092)? Exercises
// what surgewatch uses: admin (create/describe/offsets), idempotent produce with compression,
// a consumer group with eachBatch + manual commits, a transactional producer with sendOffsets
// (read_committed), and a group rebalance. Used to choose DEFAULT_KAFKA_VERSION:
//   KAFKA_VERSION=4.1.2 pnpm kafka:up && node test/kafka/compat.mjs && pnpm kafka:down
import { randomUUID } from 'node:crypto';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const kafka = new Kafka({ clientId: 'compat', brokers, logLevel: logLevel.ERROR });
const id = randomUUID().slice(0, 8);
const topic = `compat-${id}`;
const out = `compat-out-${id}`;
const N = 1000;

/** @type {Array<[string, () => Promise<unknown>]>} */
const steps = [];
const step = (/** @type {string} */ name, /** @type {() => Promise<unknown>} */ fn) =>
  steps.push([name, fn]);
const admin = kafka.admin();

step('admin connect + describeCluster', async () => {
  await admin.connect();
  const c = await admin.describeCluster();
  if (c.brokers.length !== 1) throw new Error(`brokers ${c.brokers.length}`);
});
step('createTopics (3 partitions)', async () => {
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 3 },
      { topic: out, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
});
step(`produce ${N} (gzip, idempotent)`, async () => {
  const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await p.connect();
  const messages = Array.from({ length: N }, (_, i) => ({
    key: String(i % 7),
    value: JSON.stringify({ i }),
    headers: { h: 'x' },
  }));
  await p.send({ topic, messages, compression: CompressionTypes.GZIP, acks: -1 });
  await p.disconnect();
});
step('fetchTopicOffsets', async () => {
  const o = await admin.fetchTopicOffsets(topic);
  const total = o.reduce((s, p) => s + Number(p.high) - Number(p.low), 0);
  if (total !== N) throw new Error(`high-low sum ${total}`);
});
step('consumer group eachBatch + commit', async () => {
  const c = kafka.consumer({ groupId: `g-${id}`, maxWaitTimeInMs: 200 });
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timeout, seen ${seen}`)), 30_000);
    c.run({
      eachBatchAutoResolve: false,
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const m of batch.messages) {
          seen++;
          resolveOffset(m.offset);
        }
        await c.commitOffsets([
          { topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) },
        ]);
        await heartbeat();
        if (seen >= N) {
          clearTimeout(t);
          resolve(undefined);
        }
      },
    }).catch(reject);
  });
  await c.disconnect();
  const committed = await admin.fetchOffsets({ groupId: `g-${id}`, topics: [topic] });
  const sum = committed[0]?.partitions.reduce((s, p) => s + Number(p.offset), 0);
  if (sum !== N) throw new Error(`committed sum ${sum}`);
});
step('transaction: produce + sendOffsets + commit, read_committed', async () => {
  const p = kafka.producer({
    transactionalId: `tx-${id}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await p.connect();
  const tx = await p.transaction();
  await tx.send({ topic: out, messages: [{ value: 'a' }, { value: 'b' }] });
  await tx.sendOffsets({
    consumerGroupId: `tg-${id}`,
    topics: [{ topic, partitions: [{ partition: 0, offset: '5' }] }],
  });
  await tx.commit();
  const tx2 = await p.transaction();
  await tx2.send({ topic: out, messages: [{ value: 'aborted' }] });
  await tx2.abort();
  await p.disconnect();
  const committed = await admin.fetchOffsets({ groupId: `tg-${id}`, topics: [topic] });
  const p0 = committed[0]?.partitions.find((x) => x.partition === 0);
  if (p0?.offset !== '5') throw new Error(`sendOffsets not committed: ${JSON.stringify(p0)}`);
  const c = kafka.consumer({ groupId: `r-${id}`, readUncommitted: false, maxWaitTimeInMs: 200 });
  await c.connect();
  await c.subscribe({ topic: out, fromBeginning: true });
  /** @type {string[]} */
  const values = [];
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timeout, got ${values}`)), 30_000);
    c.run({
      eachMessage: async ({ message }) => {
        values.push(String(message.value));
        if (values.length >= 2)
          setTimeout(() => {
            clearTimeout(t);
            resolve(undefined);
          }, 1000);
      },
    }).catch(reject);
  });
  await c.disconnect();
  if (values.join(',') !== 'a,b') throw new Error(`read_committed saw ${values.join(',')}`);
});
step('rebalance: 2 consumers share 3 partitions', async () => {
  const group = `rb-${id}`;
  const a = kafka.consumer({ groupId: group, maxWaitTimeInMs: 200 });
  const b = kafka.consumer({ groupId: group, maxWaitTimeInMs: 200 });
  /** @type {Set<string>} */
  const owners = new Set();
  for (const [name, c] of /** @type {const} */ ([
    ['a', a],
    ['b', b],
  ])) {
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    c.on(c.events.GROUP_JOIN, (e) => {
      if ((e.payload.memberAssignment[topic] ?? []).length > 0) owners.add(name);
    });
    await c.run({ eachMessage: async () => {} });
  }
  const deadline = Date.now() + 30_000;
  while (owners.size < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await a.disconnect();
  await b.disconnect();
  if (owners.size < 2) throw new Error(`only ${[...owners]} got partitions`);
});
step('deleteTopics', async () => {
  await admin.deleteTopics({ topics: [topic, out] });
  await admin.disconnect();
});

let failed = 0;
for (const [name, fn] of steps) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}: ${/** @type {Error} */ (err).message}`);
  }
}
console.log(failed ? `${failed} step(s) failed` : 'kafkajs works against this broker');
process.exit(failed ? 1 : 0);
