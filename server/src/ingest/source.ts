import type { Flow, SourceStatus } from '@surgewatch/shared';
import type { Component } from '../lifecycle.js';

/**
 * Where decoded flows go: main.ts wires this to enrich → aggregate. It is synchronous and
 * returns once the flows are aggregated, so a source may commit the offsets they came from.
 */
export type FlowSink = (flows: readonly Flow[]) => void;

/** A flow source (demo scenario, Kafka consumer, file replay). */
export interface FlowSource extends Component {
  /** Current health, as sent to browsers in `source:status`. */
  status(): SourceStatus;
}
