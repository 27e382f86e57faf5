import type { Flow } from '@surgewatch/shared';
import type { KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { decodeMessage } from './decode/index.js';
import type { DecodeContext, DecodeResult, Reject } from './decode/types.js';
import type { KafkaSourceConfig } from './kafkaConfig.js';
import type { DeadLetterQueue } from './kafkaDlq.js';
import type { KafkaMetrics } from './kafkaMetrics.js';
import type { DecodeSummary } from './source.js';

const EMPTY = new Uint8Array(0);

/** What the decoder has seen since start, for `source:status`. */
export interface DecodeTotals {
  records: number;
  decodeErrors: number;
  /** Newest flow end seen, ms epoch. */
  lastRecordTs: number | null;
}

export interface RecordDecoder {
  /**
   * Decodes `messages` of one partition into flows. Offsets below `skipBelow` were already
   * aggregated by this process (before a consumer restart) and are skipped. Bad records are
   * counted by reason and offered to the DLQ; nothing here throws.
   */
  decode(
    partition: number,
    messages: readonly KafkaMessage[],
    skipBelow: number,
    nowMs: number,
  ): Flow[];
  /**
   * The values of `messages` to decode elsewhere (a pipeline worker), offsets below
   * `skipBelow` left out; counts them as consumed. `kept` are their messages, for `account`.
   */
  prepare(
    messages: readonly KafkaMessage[],
    skipBelow: number,
  ): { values: Uint8Array[]; kept: KafkaMessage[] };
  /** Counts what decoding `kept` elsewhere found, as `decode` counts its own; bad ones go to the DLQ. */
  account(partition: number, kept: readonly KafkaMessage[], s: DecodeSummary, nowMs: number): void;
  readonly totals: DecodeTotals;
}

/** Turns Kafka messages into flows with the configured decoder and limits. */
export function createRecordDecoder(
  cfg: Pick<
    KafkaSourceConfig,
    'format' | 'defaultSampling' | 'maxMessageBytes' | 'maxFutureMs' | 'maxPastMs'
  >,
  deps: { metrics: KafkaMetrics; dlq: Pick<DeadLetterQueue, 'offer'>; logger: Logger },
): RecordDecoder {
  const totals: DecodeTotals = { records: 0, decodeErrors: 0, lastRecordTs: null };
  const ctx: DecodeContext = {
    now: 0,
    defaultSampling: cfg.defaultSampling,
    maxMessageBytes: cfg.maxMessageBytes,
    maxFutureMs: cfg.maxFutureMs,
    maxPastMs: cfg.maxPastMs,
  };

  const decodeOne = (value: Uint8Array): DecodeResult => {
    try {
      return decodeMessage(value, cfg.format, ctx);
    } catch (err) {
      // a decoder bug must not poison the partition: count the message as undecodable
      deps.logger.error({ err }, 'decoder threw; message rejected');
      return {
        flows: [],
        rejects: [{ reason: 'binary_garbage', detail: `decoder error: ${(err as Error).message}` }],
        unknownSampling: 0,
      };
    }
  };

  const consumed = (messages: number, bytes: number): void => {
    if (messages) deps.metrics.messages.inc(messages);
    if (bytes) deps.metrics.bytes.inc(bytes);
  };
  const decoded = (flows: number, unknownSampling: number, newest: number): void => {
    if (flows) deps.metrics.records.inc(flows);
    if (unknownSampling) deps.metrics.unknownSampling.inc(unknownSampling);
    totals.records += flows;
    if (newest > (totals.lastRecordTs ?? -Infinity)) totals.lastRecordTs = newest;
  };
  const rejected = (partition: number, m: KafkaMessage, rejects: Reject[], nowMs: number) => {
    for (const r of rejects) deps.metrics.decodeErrors.labels(r.reason).inc();
    totals.decodeErrors += rejects.length;
    deps.dlq.offer(
      { key: m.key ?? null, value: m.value ?? null, partition, offset: m.offset, rejects },
      nowMs,
    );
  };

  return {
    totals,
    decode(partition, messages, skipBelow, nowMs) {
      ctx.now = nowMs;
      const flows: Flow[] = [];
      let count = 0;
      let bytes = 0;
      let unknownSampling = 0;
      let newest = totals.lastRecordTs ?? -Infinity;
      for (const m of messages) {
        if (Number(m.offset) < skipBelow) continue;
        count++;
        const value = m.value ?? EMPTY;
        bytes += value.length;
        const result = decodeOne(value);
        for (const f of result.flows) {
          flows.push(f);
          if (f.end > newest) newest = f.end;
        }
        unknownSampling += result.unknownSampling;
        if (result.rejects.length > 0) rejected(partition, m, result.rejects, nowMs);
      }
      consumed(count, bytes);
      decoded(flows.length, unknownSampling, newest);
      return flows;
    },
    prepare(messages, skipBelow) {
      const values: Uint8Array[] = [];
      const kept: KafkaMessage[] = [];
      let bytes = 0;
      for (const m of messages) {
        if (Number(m.offset) < skipBelow) continue;
        const value = m.value ?? EMPTY;
        bytes += value.length;
        values.push(value);
        kept.push(m);
      }
      consumed(kept.length, bytes);
      return { values, kept };
    },
    account(partition, kept, summary, nowMs) {
      for (const [i, rejects] of summary.rejects) {
        const m = kept[i];
        if (m) rejected(partition, m, rejects, nowMs);
      }
      decoded(summary.flows, summary.unknownSampling, summary.newest ?? -Infinity);
    },
  };
}
