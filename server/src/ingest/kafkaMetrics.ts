import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { REJECT_REASONS } from './decode/types.js';

/** Reuses a metric already in the registry (a second source in one process, tests). */
function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** Metrics of the Kafka source: everything that moves gets a counter. */
export function kafkaMetrics(registry: Registry) {
  const registers = [registry];
  const decodeErrors = once(
    registry,
    'surgewatch_decode_errors_total',
    () =>
      new Counter({
        name: 'surgewatch_decode_errors_total',
        help: 'Records rejected by the decoders, by reason',
        labelNames: ['reason'],
        registers,
      }),
  );
  // every reason present from the start, so rates and alerts see 0 rather than nothing
  for (const reason of REJECT_REASONS) decodeErrors.labels(reason).inc(0);
  return {
    decodeErrors,
    messages: once(
      registry,
      'surgewatch_kafka_messages_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_messages_total',
          help: 'Kafka messages consumed',
          registers,
        }),
    ),
    records: once(
      registry,
      'surgewatch_kafka_records_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_records_total',
          help: 'Valid flow records decoded from Kafka',
          registers,
        }),
    ),
    bytes: once(
      registry,
      'surgewatch_kafka_bytes_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_bytes_total',
          help: 'Bytes of Kafka message values consumed',
          registers,
        }),
    ),
    batches: once(
      registry,
      'surgewatch_kafka_batches_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_batches_total',
          help: 'Kafka batches processed',
          registers,
        }),
    ),
    batchSeconds: once(
      registry,
      'surgewatch_kafka_batch_duration_seconds',
      () =>
        new Histogram({
          name: 'surgewatch_kafka_batch_duration_seconds',
          help: 'Time to decode, aggregate and commit one Kafka batch',
          buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
          registers,
        }),
    ),
    unknownSampling: once(
      registry,
      'surgewatch_flows_unknown_sampling_total',
      () =>
        new Counter({
          name: 'surgewatch_flows_unknown_sampling_total',
          help: 'Records whose sampling rate was unknown (0) and got the configured default',
          registers,
        }),
    ),
    dlqWrites: once(
      registry,
      'surgewatch_kafka_dlq_writes_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_dlq_writes_total',
          help: 'Rejected records sampled to the dead-letter topic',
          registers,
        }),
    ),
    dlqSkipped: once(
      registry,
      'surgewatch_kafka_dlq_skipped_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_dlq_skipped_total',
          help: 'Rejected records not written to the dead-letter topic',
          labelNames: ['why'],
          registers,
        }),
    ),
    lag: once(
      registry,
      'surgewatch_kafka_lag_records',
      () =>
        new Gauge({
          name: 'surgewatch_kafka_lag_records',
          help: 'Consumer lag in records, by partition',
          labelNames: ['partition'],
          registers,
        }),
    ),
    transactions: once(
      registry,
      'surgewatch_kafka_transactions_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_transactions_total',
          help: 'Checkpoint transactions (partials + input offsets), by result: committed, aborted, unknown',
          labelNames: ['result'],
          registers,
        }),
    ),
    transactionSeconds: once(
      registry,
      'surgewatch_kafka_transaction_duration_seconds',
      () =>
        new Histogram({
          name: 'surgewatch_kafka_transaction_duration_seconds',
          help: 'Time to encode, produce and commit one checkpoint transaction',
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
          registers,
        }),
    ),
    partialsProduced: once(
      registry,
      'surgewatch_partials_produced_total',
      () =>
        new Counter({
          name: 'surgewatch_partials_produced_total',
          help: 'Per-second partials produced in committed checkpoints',
          registers,
        }),
    ),
    partialBytes: once(
      registry,
      'surgewatch_partials_produced_bytes_total',
      () =>
        new Counter({
          name: 'surgewatch_partials_produced_bytes_total',
          help: 'Uncompressed bytes of the partials produced in committed checkpoints',
          registers,
        }),
    ),
    partialsRestored: once(
      registry,
      'surgewatch_partials_restored_total',
      () =>
        new Counter({
          name: 'surgewatch_partials_restored_total',
          help: 'Partials read back at start-up, by result: merged, invalid',
          labelNames: ['result'],
          registers,
        }),
    ),
    flowsRestored: once(
      registry,
      'surgewatch_flows_restored_total',
      () =>
        new Counter({
          name: 'surgewatch_flows_restored_total',
          help: 'Flow records represented by the partials merged at start-up',
          registers,
        }),
    ),
    restoreSeconds: once(
      registry,
      'surgewatch_restore_duration_seconds',
      () =>
        new Gauge({
          name: 'surgewatch_restore_duration_seconds',
          help: 'Time the last start-up restore from the partials topic took',
          registers,
        }),
    ),
    rebalances: once(
      registry,
      'surgewatch_kafka_rebalances_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_rebalances_total',
          help: 'Consumer group joins (initial join and every rebalance)',
          registers,
        }),
    ),
    restarts: once(
      registry,
      'surgewatch_kafka_consumer_restarts_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_consumer_restarts_total',
          help: 'Consumer crashes followed by a restart',
          registers,
        }),
    ),
    connected: once(
      registry,
      'surgewatch_kafka_connected',
      () =>
        new Gauge({
          name: 'surgewatch_kafka_connected',
          help: '1 while the broker answers and the consumer is in its group',
          registers,
        }),
    ),
    paused: once(
      registry,
      'surgewatch_kafka_paused',
      () =>
        new Gauge({
          name: 'surgewatch_kafka_paused',
          help: '1 while consumption is paused because aggregation is behind',
          registers,
        }),
    ),
    pauses: once(
      registry,
      'surgewatch_kafka_pauses_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_pauses_total',
          help: 'Times consumption was paused for backpressure',
          registers,
        }),
    ),
    peerPartials: once(
      registry,
      'surgewatch_partials_peer_total',
      () =>
        new Counter({
          name: 'surgewatch_partials_peer_total',
          help: "Partials of other instances read from the partials topic, by result: merged, invalid (this instance's own are skipped: they are in its view already)",
          labelNames: ['result'],
          registers,
        }),
    ),
    peerFlows: once(
      registry,
      'surgewatch_flows_peer_total',
      () =>
        new Counter({
          name: 'surgewatch_flows_peer_total',
          help: 'Flow records represented by the partials of other instances merged into this view',
          registers,
        }),
    ),
    peerLag: once(
      registry,
      'surgewatch_partials_peer_lag_records',
      () =>
        new Gauge({
          name: 'surgewatch_partials_peer_lag_records',
          help: 'Partials records not yet read by the peer reader (all partitions of the partials topic)',
          registers,
        }),
    ),
    partialsAvailable: once(
      registry,
      'surgewatch_partials_available',
      () =>
        new Gauge({
          name: 'surgewatch_partials_available',
          help: '1 while the partials topic exists and is written; 0: this instance runs alone, its history is not durable',
          registers,
        }),
    ),
    revoked: once(
      registry,
      'surgewatch_kafka_checkpoints_revoked_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_checkpoints_revoked_total',
          help: 'Staged checkpoints dropped uncommitted at a rebalance (their records are read again by whoever owns them next)',
          registers,
        }),
    ),
    rebuilds: once(
      registry,
      'surgewatch_kafka_rebuilds_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_rebuilds_total',
          help: 'Live views rebuilt from the partials topic after a checkpoint whose delta was already shown failed or was aborted (its records are read again)',
          registers,
        }),
    ),
    takeovers: once(
      registry,
      'surgewatch_kafka_partition_takeovers_total',
      () =>
        new Counter({
          name: 'surgewatch_kafka_partition_takeovers_total',
          help: "Partitions newly assigned at a join, held until a previous owner's commit on the wire has landed, then started from the committed offsets",
          registers,
        }),
    ),
  };
}

export type KafkaMetrics = ReturnType<typeof kafkaMetrics>;
