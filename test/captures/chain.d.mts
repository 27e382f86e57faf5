// Types of what the TypeScript tests use from chain.mjs.

export const CAPTURES_ATTRIBUTION: string;
export function capturesDir(): string;

export interface PcapRecord {
  /** Packet time, ms epoch (fractional). */
  timeMs: number;
  data: Buffer;
  origLen: number;
}
export function readPcap(file: string): {
  linktype: number;
  snaplen: number;
  records: PcapRecord[];
};
export function writePcap(
  file: string,
  header: { linktype: number; snaplen: number },
  records: readonly PcapRecord[],
): void;

export interface Counts {
  packets: number;
  /** Octets as softflowd counts them: the frame past its link header. */
  bytes: number;
  /** The IP total length. */
  ipBytes: number;
}
export interface RetimeStats {
  /** Packets written (IP or not). */
  packets: number;
  frameBytes: number;
  ipPackets: number;
  ipBytes: number;
  bytes: number;
  byDestination: Record<string, Counts>;
  firstMs: number;
  lastMs: number;
  loops: number;
}
export function retime(
  pcapIn: string,
  pcapOut: string,
  opts: { pps: number; startMs: number; durationMs?: number },
): RetimeStats;

export interface SoftflowdTotals {
  packets: number;
  flowsExported: number;
  datagrams: number;
  failures: number;
  runs?: number;
  output: string;
}
export function softflowdExport(
  pcap: string,
  opts: {
    port: number;
    host?: string;
    maxlife?: number;
    maxFlows?: number;
    received?: () => Promise<number>;
    chunkPackets?: number;
    timeoutMs?: number;
  },
): Promise<SoftflowdTotals>;

export interface Goflow2 {
  port: number;
  metricsUrl: string;
  logs: string[];
  /** The sum of a Prometheus series over its label sets, e.g. goflow2_flow_traffic_packets_total. */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}
export function startGoflow2(opts: {
  brokers: string[];
  topic: string;
  format?: 'bin' | 'json';
  port?: number;
  flushFreq?: string;
  workers?: number;
  log?: (line: string) => void;
  timeoutMs?: number;
}): Promise<Goflow2>;

export function softflowdPath(): string;
export function goflow2Path(): string;
export function freePort(kind?: 'tcp' | 'udp'): Promise<number>;
export function udpBound(port: number): boolean;
