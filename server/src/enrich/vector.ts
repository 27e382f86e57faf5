import { VECTOR_TABLE, type Vector } from '@surgewatch/shared';

export { VECTOR_NAMES } from '@surgewatch/shared';

/**
 * The lookups classifyVector reads, built once from the shared vector table so that a flow
 * costs a few array reads and no allocation (it runs per flow, >100k flows/s).
 */
interface Lookups {
  /** TCP flags (low byte) → vector: the table's TCP tests tried in order, then the TCP rest. */
  tcpByFlags: Vector[];
  /** UDP source port → reflection vector; undefined where no known reflector answers. */
  udpBySourcePort: (Vector | undefined)[];
  /** IP protocol number → vector for protocols named by protocol alone. */
  byProto: (Vector | undefined)[];
  udp: Vector;
  other: Vector;
}

function buildLookups(): Lookups {
  const tcpByFlags = new Array<Vector | undefined>(256).fill(undefined);
  const udpBySourcePort = new Array<Vector | undefined>(65536).fill(undefined);
  const byProto = new Array<Vector | undefined>(256).fill(undefined);
  let tcpRest: Vector | undefined;
  let other: Vector | undefined;
  for (const v of VECTOR_TABLE) {
    if (v.retired) continue;
    if (v.kind === 'tcp-flags') {
      if (!v.flags) {
        tcpRest = v.key;
        continue;
      }
      const { set, clear } = v.flags;
      for (let f = 0; f < 256; f++) {
        if (tcpByFlags[f] === undefined && (f & set) === set && (f & clear) === 0) {
          tcpByFlags[f] = v.key;
        }
      }
    } else if (v.kind === 'reflection') {
      for (const p of v.ports ?? []) {
        const taken = udpBySourcePort[p];
        if (taken) throw new Error(`UDP port ${p} is both ${taken} and ${v.key}`);
        udpBySourcePort[p] = v.key;
      }
    } else if (v.kind === 'protocol') {
      if (!v.protos) other = v.key;
      for (const p of v.protos ?? []) byProto[p] = v.key;
    }
  }
  const udp = byProto[17];
  if (!tcpRest || !udp || !other) throw new Error('vector table lacks the TCP, UDP or other rest');
  return {
    tcpByFlags: tcpByFlags.map((v) => v ?? tcpRest),
    udpBySourcePort,
    byProto,
    udp,
    other,
  };
}

const L = buildLookups();

/**
 * The attack vector of a flow (see the shared VECTOR_TABLE). A TCP or UDP flow with both
 * ports 0 is a non-first fragment (no L4 header to read); other TCP is told apart by its
 * flags — the OR of all its packets' flags —, UDP by the reflector's source port, the rest by
 * IP protocol number.
 */
export function classifyVector(
  proto: number,
  sport: number,
  dport: number,
  tcpFlags: number,
): Vector {
  if (proto === 6 || proto === 17) {
    if (sport === 0 && dport === 0) return 'fragment';
    if (proto === 6) return L.tcpByFlags[tcpFlags & 0xff]!;
    return L.udpBySourcePort[sport] ?? L.udp;
  }
  return L.byProto[proto] ?? L.other;
}

const PROTOCOLS: Readonly<Record<number, string>> = {
  1: 'ICMP',
  6: 'TCP',
  17: 'UDP',
  47: 'GRE',
  50: 'ESP',
  58: 'ICMPv6',
  132: 'SCTP',
};

/** The name of an IP protocol number: "TCP", "UDP", …, or "IP-<n>". */
export function protocolName(proto: number): string {
  return PROTOCOLS[proto] ?? `IP-${proto}`;
}
