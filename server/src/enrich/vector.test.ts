import { readFileSync } from 'node:fs';
import { VECTOR_TABLE, VECTORS } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { classifyVector } from './vector.js';

/** [proto, sport, dport, tcpFlags, vector] */
type Row = readonly [number, number, number, number, string];

const reflection: Row[] = [
  [17, 17, 40000, 0, 'udp-amp-qotd'],
  [17, 19, 40000, 0, 'udp-amp-chargen'],
  [17, 53, 40000, 0, 'udp-amp-dns'],
  [17, 69, 40000, 0, 'udp-amp-tftp'],
  [17, 111, 40000, 0, 'udp-amp-portmap'],
  [17, 123, 40000, 0, 'udp-amp-ntp'],
  [17, 137, 40000, 0, 'udp-amp-netbios'],
  [17, 161, 40000, 0, 'udp-amp-snmp'],
  [17, 389, 40000, 0, 'udp-amp-cldap'],
  [17, 427, 40000, 0, 'udp-amp-slp'],
  [17, 500, 40000, 0, 'udp-amp-ike'],
  [17, 4500, 40000, 0, 'udp-amp-ike'],
  [17, 520, 40000, 0, 'udp-amp-rip'],
  [17, 1194, 40000, 0, 'udp-amp-openvpn'],
  [17, 1434, 40000, 0, 'udp-amp-mssql'],
  [17, 1604, 40000, 0, 'udp-amp-citrix'],
  [17, 1900, 40000, 0, 'udp-amp-ssdp'],
  [17, 3283, 40000, 0, 'udp-amp-arms'],
  [17, 3389, 40000, 0, 'udp-amp-rdp'],
  [17, 3702, 40000, 0, 'udp-amp-wsd'],
  [17, 5093, 40000, 0, 'udp-amp-sentinel'],
  [17, 5351, 40000, 0, 'udp-amp-natpmp'],
  [17, 5353, 40000, 0, 'udp-amp-mdns'],
  [17, 5683, 40000, 0, 'udp-amp-coap'],
  [17, 10001, 40000, 0, 'udp-amp-ubiquiti'],
  [17, 10074, 40000, 0, 'udp-amp-tp240'],
  [17, 11211, 40000, 0, 'udp-amp-memcached'],
  [17, 27015, 40000, 0, 'udp-amp-steam'],
  [17, 27960, 40000, 0, 'udp-amp-quake'],
  [17, 30718, 40000, 0, 'udp-amp-lantronix'],
  [17, 32414, 40000, 0, 'udp-amp-plex'],
  [17, 33848, 40000, 0, 'udp-amp-jenkins'],
  [17, 37810, 40000, 0, 'udp-amp-dvr'],
  [17, 41794, 40000, 0, 'udp-amp-crestron'],
  [17, 47808, 40000, 0, 'udp-amp-bacnet'],
];

const others: Row[] = [
  // TCP by flags (a flow's flags are the OR of its packets')
  [6, 40000, 443, 0x02, 'tcp-syn'],
  [6, 40000, 443, 0xc2, 'tcp-syn'], // ECN-setup SYN
  [6, 40000, 443, 0x06, 'tcp-syn'], // SYN+RST, ACK clear
  [6, 80, 40000, 0x12, 'tcp-synack'], // SYN-ACK reflection
  [6, 443, 40000, 0x16, 'tcp-synack'], // a reflector that also resets
  [6, 40000, 443, 0x04, 'tcp-rst'],
  [6, 40000, 443, 0x14, 'tcp-rst'],
  [6, 40000, 443, 0x15, 'tcp-rst'], // RST+ACK+FIN, no data
  [6, 40000, 443, 0x10, 'tcp-ack'],
  [6, 40000, 443, 0x30, 'tcp-ack'], // ACK+URG
  [6, 40000, 443, 0x18, 'tcp'], // established: ACK+PSH
  [6, 40000, 443, 0x11, 'tcp'], // closing: FIN+ACK
  [6, 40000, 443, 0x1b, 'tcp'], // a whole short connection in one flow: SYN, ACK, PSH, FIN
  [6, 443, 40000, 0x1a, 'tcp'], // a server's side of a connection: SYN-ACK then data
  [6, 40000, 443, 0x1c, 'tcp'], // data then a reset
  [6, 40000, 443, 0, 'tcp'], // flags unknown
  [6, 40000, 443, 0x102, 'tcp-syn'], // NS bit ignored
  // UDP that is not reflection
  [17, 40000, 53, 0, 'udp'], // a query to a resolver is not amplification
  [17, 40000, 40001, 0, 'udp'],
  // fragments, protocols
  [17, 0, 0, 0, 'fragment'],
  [6, 0, 0, 0x02, 'fragment'],
  [1, 0, 0, 0, 'icmp'],
  [58, 0, 0, 0, 'icmp'],
  [47, 0, 0, 0, 'gre'],
  [50, 0, 0, 0, 'other'], // ESP
  [132, 5000, 5000, 0, 'other'], // SCTP
  [300, 0, 0, 0, 'other'], // out of range
];

describe('classifyVector', () => {
  it.each([...reflection, ...others])(
    'proto %i %i→%i flags %i is %s',
    (proto, sport, dport, flags, v) => {
      expect(classifyVector(proto, sport, dport, flags)).toBe(v);
    },
  );

  it('tests every reflection port of the table', () => {
    const tested = new Set(reflection.map((r) => r[1]));
    const ports = VECTOR_TABLE.flatMap((v) => v.ports ?? []);
    expect(ports.filter((p) => !tested.has(p))).toEqual([]);
  });

  it('no longer produces a retired vector', () => {
    const produced = new Set<string>();
    for (let port = 0; port < 65536; port++) produced.add(classifyVector(17, port, 40000, 0));
    for (let flags = 0; flags < 256; flags++) produced.add(classifyVector(6, 40000, 443, flags));
    for (let proto = 0; proto < 256; proto++) produced.add(classifyVector(proto, 1, 1, 0));
    produced.add(classifyVector(17, 0, 0, 0));
    const retired = VECTOR_TABLE.filter((v) => v.retired).map((v) => v.key);
    expect(retired).toEqual(['udp-amp-other']);
    expect(retired.filter((k) => produced.has(k))).toEqual([]);
    expect([...produced].sort()).toEqual(VECTORS.filter((k) => !retired.includes(k)).sort());
  });
});

describe('docs/detection.md', () => {
  it('lists every vector in its table', () => {
    const doc = readFileSync(new URL('../../../docs/detection.md', import.meta.url), 'utf8');
    const listed = new Set([...doc.matchAll(/^\| `([a-z0-9-]+)` +\|/gm)].map((m) => m[1]));
    expect(VECTORS.filter((k) => !listed.has(k))).toEqual([]);
  });
});
