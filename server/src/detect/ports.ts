import type { AlertContributor, AlertPort, Dimension } from '@surgewatch/shared';
import { PAIR_SEP } from '@surgewatch/shared';
import type { SampledFlowView, SubjectRef, TrafficReader } from './reader.js';

/** Seconds of flow samples an explanation's ports are estimated from (more flows, steadier shares). */
export const PORT_SECONDS = 5;
/** Ports listed per explanation. */
export const PORTS_LISTED = 5;

/** Well-known services by port: what an on-call engineer recognises. */
const SERVICES: ReadonlyMap<number, string> = new Map([
  [7, 'echo'],
  [17, 'QOTD'],
  [19, 'chargen'],
  [20, 'FTP data'],
  [21, 'FTP'],
  [22, 'SSH'],
  [23, 'telnet'],
  [25, 'SMTP'],
  [53, 'DNS'],
  [69, 'TFTP'],
  [80, 'HTTP'],
  [110, 'POP3'],
  [111, 'portmap'],
  [123, 'NTP'],
  [137, 'NetBIOS'],
  [143, 'IMAP'],
  [161, 'SNMP'],
  [179, 'BGP'],
  [389, 'CLDAP'],
  [443, 'HTTPS'],
  [445, 'SMB'],
  [465, 'SMTPS'],
  [500, 'IKE'],
  [520, 'RIP'],
  [587, 'submission'],
  [853, 'DNS over TLS'],
  [993, 'IMAPS'],
  [995, 'POP3S'],
  [1194, 'OpenVPN'],
  [1812, 'RADIUS'],
  [1900, 'SSDP'],
  [3283, 'ARMS'],
  [3306, 'MySQL'],
  [3389, 'RDP'],
  [3702, 'WS-Discovery'],
  [4500, 'IPsec NAT-T'],
  [5060, 'SIP'],
  [5353, 'mDNS'],
  [5432, 'PostgreSQL'],
  [6379, 'Redis'],
  [8080, 'HTTP alt'],
  [8443, 'HTTPS alt'],
  [10001, 'Ubiquiti discovery'],
  [11211, 'memcached'],
  [27015, 'Steam'],
  [51820, 'WireGuard'],
]);

/** The service name of a port ("DNS"), or "" when it has none we know. UDP 443 is QUIC. */
export function serviceName(proto: number, port: number): string {
  if (proto === 17 && port === 443) return 'QUIC';
  return SERVICES.get(port) ?? '';
}

/** How much a port looks like a service: named 3, below 1024 2, registered 1, ephemeral 0, none −1. */
function serviceRank(port: number): number {
  if (port === 0) return -1;
  if (SERVICES.has(port)) return 3;
  if (port < 1024) return 2;
  return port < 49152 ? 1 : 0;
}

/** Protocols with ports: TCP, UDP, DCCP, SCTP. */
function hasPorts(proto: number): boolean {
  return proto === 6 || proto === 17 || proto === 33 || proto === 132;
}

/**
 * The side whose port names a flow: the source for reflection (a UDP amplification vector is
 * classified by its source port), else the port that looks more like a service, the
 * destination on a tie (the service being hit). Null for flows without ports.
 */
export function portSide(f: SampledFlowView): 'source' | 'destination' | null {
  if (!hasPorts(f.proto) || (f.sport === 0 && f.dport === 0)) return null;
  if (f.vector.startsWith('udp-amp')) return 'source';
  return serviceRank(f.sport) > serviceRank(f.dport) ? 'source' : 'destination';
}

/** Whether a sampled flow belongs to a subject (the total, a key, or a country × key pair). */
function matcher(subject: SubjectRef): (f: SampledFlowView) => boolean {
  if (!subject) return () => true;
  const dot = subject.dim.indexOf('.');
  if (dot < 0) {
    const d = subject.dim as Dimension;
    const key = subject.key;
    return (f) => f[d] === key;
  }
  const cut = subject.key.indexOf(PAIR_SEP);
  if (cut < 0) return () => false; // "other": pairs summed away, no flow is named so
  const country = subject.key.slice(0, cut);
  const other = subject.key.slice(cut + 1);
  const d = subject.dim.slice(dot + 1) as Dimension;
  return (f) => f.country === country && f[d] === other;
}

/**
 * Visits the subject's sampled flows over the seconds `[max(t − 4 s, since), t]` (ms epoch):
 * how many of those seconds keep a sample, and the bytes the subject's sampled flows stand
 * for. Null without samples.
 */
function walkSample(
  reader: TrafficReader,
  subject: SubjectRef,
  t: number,
  since: number,
  visit: (f: SampledFlowView, est: number) => void,
): { seconds: number; subjectBytes: number } | null {
  if (!reader.forEachSampled) return null;
  const match = matcher(subject);
  const from = Number.isFinite(since) ? since - (since % 1000) : -Infinity;
  const start = Math.min(t, Math.max(t - (PORT_SECONDS - 1) * 1000, from));
  let subjectBytes = 0;
  let seconds = 0;
  const each = (f: SampledFlowView, est: number): void => {
    if (!match(f)) return;
    subjectBytes += est;
    visit(f, est);
  };
  for (let s = start; s <= t; s += 1000) if (reader.forEachSampled(s, each)) seconds++;
  return { seconds, subjectBytes };
}

interface PortRow {
  protocol: string;
  proto: number;
  port: number;
  side: 'source' | 'destination';
  bytes: number;
}

/**
 * The subject's traffic by port over the seconds `[max(t − 4 s, since), t]` (ms epoch; `t`
 * the explained second, `since` the alert's start): each sampled flow of the subject adds the
 * bytes it stands for to its port (see {@link portSide}); `bps` is the mean over the seconds
 * that keep a sample, `share` the part of the subject's sampled bytes (flows without ports
 * included). Exact while the seconds hold fewer flows than their sample; unbiased estimates
 * otherwise. Empty when the reader has no samples or none of the subject's flows.
 */
export function portsOf(
  reader: TrafficReader,
  subject: SubjectRef,
  t: number,
  since: number = -Infinity,
): AlertPort[] {
  const rows = new Map<number, PortRow>();
  const walked = walkSample(reader, subject, t, since, (f, est) => {
    const side = portSide(f);
    if (!side) return;
    const port = side === 'source' ? f.sport : f.dport;
    const id = (side === 'source' ? 0x1000000 : 0) + f.proto * 65536 + port;
    let r = rows.get(id);
    if (!r) {
      r = { protocol: f.protocol, proto: f.proto, port, side, bytes: 0 };
      rows.set(id, r);
    }
    r.bytes += est;
  });
  if (!walked || walked.seconds === 0 || !(walked.subjectBytes > 0)) return [];
  const { seconds, subjectBytes } = walked;
  return [...rows.values()]
    .sort((a, b) => b.bytes - a.bytes || a.port - b.port || (a.side < b.side ? -1 : 1))
    .slice(0, PORTS_LISTED)
    .map((r) => ({
      key: r.side === 'source' ? `${r.protocol} ${r.port} → *` : `${r.protocol} * → ${r.port}`,
      name: serviceName(r.proto, r.port),
      bps: (r.bytes * 8) / seconds,
      protocol: r.protocol,
      port: r.port,
      side: r.side,
      share: r.bytes / subjectBytes,
    }));
}

/**
 * The subject's traffic by attack vector over the same seconds as {@link portsOf}, from the
 * flow sample: `bps` the mean over the seconds that keep a sample, `share` the vector's part
 * of the subject's sampled bytes (0–1), heaviest first. Exact while the seconds hold fewer
 * flows than their sample; unbiased estimates otherwise. Empty without samples.
 */
export function vectorsOf(
  reader: TrafficReader,
  subject: SubjectRef,
  t: number,
  since: number = -Infinity,
): AlertContributor[] {
  const bytes = new Map<string, number>();
  const walked = walkSample(reader, subject, t, since, (f, est) => {
    bytes.set(f.vector, (bytes.get(f.vector) ?? 0) + est);
  });
  if (!walked || walked.seconds === 0 || !(walked.subjectBytes > 0)) return [];
  const { seconds, subjectBytes } = walked;
  return [...bytes]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, PORTS_LISTED)
    .map(([key, b]) => ({
      key,
      name: reader.name('vector', key),
      bps: (b * 8) / seconds,
      share: b / subjectBytes,
    }));
}

/**
 * The ports an alert has seen so far (`before`) with those of its latest evaluation (`now`):
 * each port at the highest rate it reached, heaviest first, at most PORTS_LISTED. An attack
 * that changes ports, or whose flows are gone by the time it resolves, keeps every port that
 * carried it named.
 */
export function mergePorts(
  before: readonly AlertPort[] | undefined,
  now: readonly AlertPort[],
): AlertPort[] {
  if (!before?.length) return [...now];
  const best = new Map<string, AlertPort>();
  for (const p of [...before, ...now]) {
    const seen = best.get(p.key);
    if (!seen || p.bps > seen.bps) best.set(p.key, p);
  }
  return [...best.values()]
    .sort((a, b) => b.bps - a.bps || a.port - b.port || (a.side < b.side ? -1 : 1))
    .slice(0, PORTS_LISTED);
}
