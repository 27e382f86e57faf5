/**
 * What enrichment learns about a flow's source, handed to aggregation beside the flow.
 * Kept flat and reused per flow on the hot path.
 */
export interface SourceKeys {
  /** ISO 3166-1 alpha-2, or a label such as "private" / "unknown". */
  country: string;
}
