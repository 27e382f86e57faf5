import type { Vector } from '@surgewatch/shared';

/** UDP source ports of well-known reflection/amplification services → vector. */
const AMPLIFIERS: ReadonlyMap<number, Vector> = new Map<number, Vector>([
  [53, 'udp-amp-dns'],
  [123, 'udp-amp-ntp'],
  [161, 'udp-amp-snmp'],
  [389, 'udp-amp-cldap'],
  [1900, 'udp-amp-ssdp'],
  [11211, 'udp-amp-memcached'],
  [19, 'udp-amp-chargen'],
]);
/** Other reflectors seen in the wild (RIP, portmap, NetBIOS, QOTD, mDNS, WS-Discovery, ARMS, TFTP, Ubiquiti). */
const OTHER_AMPLIFIERS = new Set([17, 69, 111, 137, 520, 3283, 3702, 5353, 10001]);

const SYN = 0x02;
const ACK = 0x10;

/**
 * The attack vector a flow belongs to. TCP with SYN set and ACK clear is a SYN (flood
 * candidate); UDP from a well-known amplifier port is reflection; a TCP or UDP flow with both
 * ports 0 is a non-first fragment (no L4 header to read); ICMP and ICMPv6 are ICMP.
 */
export function classifyVector(
  proto: number,
  sport: number,
  dport: number,
  tcpFlags: number,
): Vector {
  if (proto === 6) {
    if (sport === 0 && dport === 0) return 'fragment';
    return (tcpFlags & SYN) !== 0 && (tcpFlags & ACK) === 0 ? 'tcp-syn' : 'tcp';
  }
  if (proto === 17) {
    if (sport === 0 && dport === 0) return 'fragment';
    const amp = AMPLIFIERS.get(sport);
    if (amp) return amp;
    return OTHER_AMPLIFIERS.has(sport) ? 'udp-amp-other' : 'udp';
  }
  if (proto === 1 || proto === 58) return 'icmp';
  return 'other';
}

/** English names of the vectors. */
export const VECTOR_NAMES: Readonly<Record<Vector, string>> = {
  'tcp-syn': 'TCP SYN',
  tcp: 'TCP (established)',
  'udp-amp-dns': 'UDP amplification: DNS',
  'udp-amp-ntp': 'UDP amplification: NTP',
  'udp-amp-snmp': 'UDP amplification: SNMP',
  'udp-amp-cldap': 'UDP amplification: CLDAP',
  'udp-amp-ssdp': 'UDP amplification: SSDP',
  'udp-amp-memcached': 'UDP amplification: memcached',
  'udp-amp-chargen': 'UDP amplification: chargen',
  'udp-amp-other': 'UDP amplification: other',
  udp: 'UDP',
  icmp: 'ICMP',
  fragment: 'IP fragments',
  other: 'Other protocols',
};

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
