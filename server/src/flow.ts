import type { Vector } from '@surgewatch/shared';

/**
 * A flow's keys in every dimension, computed by enrichment and handed to aggregation beside
 * the flow. One object is reused per flow on the hot path.
 */
export interface FlowKeys {
  /** ISO 3166-1 alpha-2, a label such as "private" / "unknown", or "net:<name>" for our own networks. */
  country: string;
  /** UN M49 sub-region ("Eastern Europe"), a custom group ("EU"), or the label. */
  region: string;
  continent: string;
  /** "AS13238", or "unknown". */
  asn: string;
  /** Destination address. */
  destination: string;
  /** Configured network the destination belongs to, or "unlisted". */
  service: string;
  /** "TCP", "UDP", "ICMP", … */
  protocol: string;
  vector: Vector;
}
