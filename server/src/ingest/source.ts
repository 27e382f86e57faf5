import type { Flow, SourceStatus } from '@surgewatch/shared';
import type { Component } from '../lifecycle.js';
import type { Reject } from './decode/types.js';

/**
 * Where decoded flows go: main.ts wires this to enrich → aggregate. It is synchronous and
 * returns once the flows are aggregated, so a source may commit the offsets they came from.
 */
export type FlowSink = (flows: readonly Flow[]) => void;

/** One partial of `surgewatch.partials`: a second of one instance's delta (JSON, utf-8). */
export interface EncodedPartial {
  /** Start of the second, ms epoch. */
  t: number;
  value: Buffer;
}

/**
 * The flows one checkpoint covers, enriched and aggregated aside. Once sealed (`encode`) the
 * live view may show them at once (`show`), while their transaction is on the wire; a batch
 * not shown joins when its checkpoint commits (`apply`). A shown batch whose checkpoint then
 * fails is taken out again by `CheckpointSink.rebuild`, before its records are read again.
 */
export interface StagedBatch {
  add(flows: readonly Flow[]): void;
  /** Stages Kafka message values still to decode, on a pipeline worker (see `takesRaw`). */
  addRaw?(chunk: RawChunk): void;
  /** Flow records added so far. */
  readonly records: number;
  /**
   * The delta as partials, one per second it touched (per pipeline worker, when they
   * aggregate), oldest first. Call before `apply`, and before anything more is staged in a
   * later batch: a worker seals what it was handed up to this call. Rejects with an error
   * whose `retriable` is true when the delta was lost (a worker died): the checkpoint must
   * then fail so that its records are read again.
   */
  encode(instance: string): EncodedPartial[] | Promise<EncodedPartial[]>;
  /**
   * Merges the sealed delta into the live view before its checkpoint commits (resolves true),
   * as soon as its partials are read back; false when `drop` came first.
   */
  show(): Promise<boolean>;
  /** True once the delta is in the live view. */
  readonly shown: boolean;
  /** Its checkpoint failed: a `show` still reading the partials leaves the live view alone. */
  drop(): void;
  /** Its checkpoint committed: merges the delta now unless shown already. The batch is spent. */
  apply(): void;
}

/** Partials read back at start-up, merged into the live view at once by `finish`. */
export interface PartialRestore {
  /** Reads one partial; throws an error with code `partial_invalid` for a bad one. */
  add(value: Buffer): { instance: string; t: number; flows: number };
  finish(): void;
}

/**
 * Kafka message values a pipeline worker decodes itself (the consumer's thread then only
 * fetches): what decoding found comes back through `onDecoded`, before the batch's `encode`
 * resolves, so a checkpoint never commits records whose rejects were not counted.
 */
export interface RawChunk {
  values: Uint8Array[];
  /** Wall-clock now for the timestamp checks, ms epoch. */
  now: number;
  onDecoded(summary: DecodeSummary): void;
}

/** What decoding a raw chunk found. */
export interface DecodeSummary {
  flows: number;
  unknownSampling: number;
  /** Newest flow end, ms epoch, or null without flows. */
  newest: number | null;
  /** The rejects of each bad message, by its index in the chunk. */
  rejects: [number, Reject[]][];
}

/** What a source that checkpoints to Kafka needs from the pipeline. */
export interface CheckpointSink {
  stage(): StagedBatch;
  /**
   * Whether the next chunk should go to the workers undecoded: true while one has room, so
   * decoding moves to whichever thread has time for it (absent: never).
   */
  takesRaw?(): boolean;
  restore(): PartialRestore;
  /**
   * Partials read back to replace every second from `from` (ms epoch) on: `finish` drops
   * those seconds from the live view and merges what was read, in one turn. What is read must
   * be all committed partials of those seconds, plus any older ones not yet in the view (a
   * peer's, read past where the peer reader stopped).
   */
  rebuild(from: number): PartialRestore;
}

/** A flow source (demo scenario, Kafka consumer, file replay). */
export interface FlowSource extends Component {
  /** Current health, as sent to browsers in `source:status`. */
  status(): SourceStatus;
}
