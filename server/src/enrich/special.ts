import ipaddr from 'ipaddr.js';

/**
 * Address ranges that no GeoIP database places in a country, by the label surgewatch shows
 * for them. ipaddr.js names the IANA special-purpose ranges; we fold its names into a few
 * labels an analyst recognises.
 */
const LABELS: Record<string, string> = {
  private: 'private',
  uniqueLocal: 'private',
  loopback: 'loopback',
  carrierGradeNat: 'cgnat',
  linkLocal: 'link-local',
  multicast: 'multicast',
  reserved: 'reserved',
  unspecified: 'reserved',
  broadcast: 'reserved',
  benchmarking: 'reserved',
  amt: 'reserved',
  as112: 'reserved',
  deprecated: 'reserved',
  orchid2: 'reserved',
  droneRemoteIdProtocolEntityTags: 'reserved',
  teredo: 'reserved',
  '6to4': 'reserved',
  rfc6145: 'reserved',
  rfc6052: 'reserved',
};
const DOCUMENTATION = [
  ipaddr.parseCIDR('192.0.2.0/24'),
  ipaddr.parseCIDR('198.51.100.0/24'),
  ipaddr.parseCIDR('203.0.113.0/24'),
  ipaddr.parseCIDR('2001:db8::/32'),
];

/** English names for the special labels, shown beside ISO country names. */
export const SPECIAL_NAMES: Record<string, string> = {
  private: 'Private network',
  loopback: 'Loopback',
  cgnat: 'Carrier-grade NAT',
  'link-local': 'Link-local',
  multicast: 'Multicast',
  reserved: 'Reserved range',
  documentation: 'Documentation range',
  unknown: 'Unknown',
};

/**
 * The special-purpose label of a parsed address, or null for ordinary unicast space.
 */
export function specialLabel(addr: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  for (const [net, bits] of DOCUMENTATION) {
    if (net.kind() === addr.kind() && addr.match(net as never, bits)) return 'documentation';
  }
  const range = addr.range();
  if (range === 'unicast') return null;
  return LABELS[range] ?? 'reserved';
}
