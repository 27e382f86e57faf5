// Protocol and EtherType names as the collectors write them, and back.

/**
 * The protocol number given to a flow whose collector only said "I don't know" (goflow2
 * v2.0/v2.1 render every protocol outside ICMP/TCP/UDP/ICMPv6/SCTP as "", v2.2 renders
 * "unassigned"/"experimental"/"unknown"). 255 is IANA "Reserved": never a real protocol, so
 * the flow keeps its volume without being counted as some real protocol.
 */
export const PROTO_UNKNOWN = 255;

/**
 * goflow2 v2.2+ `ProtoName` (producer/proto/render.go): IANA keywords for 0–145; 146–252
 * render "unassigned", 253–254 "experimental", 255 "reserved". Indexed by protocol number.
 */
// prettier-ignore
const GOFLOW2_PROTO_NAMES: readonly string[] = [
  'HOPOPT', 'ICMP', 'IGMP', 'GGP', 'IPv4', 'ST', 'TCP', 'CBT', 'EGP', 'IGP',
  'BBN-RCC-MON', 'NVP-II', 'PUP', 'ARGUS', 'EMCON', 'XNET', 'CHAOS', 'UDP', 'MUX', 'DCN-MEAS',
  'HMP', 'PRM', 'XNS-IDP', 'TRUNK-1', 'TRUNK-2', 'LEAF-1', 'LEAF-2', 'RDP', 'IRTP', 'ISO-TP4',
  'NETBLT', 'MFE-NSP', 'MERIT-INP', 'DCCP', '3PC', 'IDPR', 'XTP', 'DDP', 'IDPR-CMTP', 'TP++',
  'IL', 'IPv6', 'SDRP', 'IPv6-Route', 'IPv6-Frag', 'IDRP', 'RSVP', 'GRE', 'DSR', 'BNA',
  'ESP', 'AH', 'I-NLSP', 'SWIPE', 'NARP', 'Min-IPv4', 'TLSP', 'SKIP', 'IPv6-ICMP', 'IPv6-NoNxt',
  'IPv6-Opts', 'any-host-internal-protocol', 'CFTP', 'any-local-network', 'SAT-EXPAK',
  'KRYPTOLAN', 'RVD', 'IPPC', 'any-distributed-file-system', 'SAT-MON',
  'VISA', 'IPCV', 'CPNX', 'CPHB', 'WSN', 'PVP', 'BR-SAT-MON', 'SUN-ND', 'WB-MON', 'WB-EXPAK',
  'ISO-IP', 'VMTP', 'SECURE-VMTP', 'VINES', 'IPTM', 'NSFNET-IGP', 'DGP', 'TCF', 'EIGRP', 'OSPFIGP',
  'Sprite-RPC', 'LARP', 'MTP', 'AX.25', 'IPIP', 'MICP', 'SCC-SP', 'ETHERIP', 'ENCAP',
  'any-private-encryption-scheme',
  'GMTP', 'IFMP', 'PNNI', 'PIM', 'ARIS', 'SCPS', 'QNX', 'A/N', 'IPComp', 'SNP',
  'Compaq-Peer', 'IPX-in-IP', 'VRRP', 'PGM', 'any-0-hop-protocol', 'L2TP', 'DDX', 'IATP', 'STP',
  'SRP',
  'UTI', 'SMP', 'SM', 'PTP', 'ISIS over IPv4', 'FIRE', 'CRTP', 'CRUDP', 'SSCOPMCE', 'IPLT',
  'SPS', 'PIPE', 'SCTP', 'FC', 'RSVP-E2E-IGNORE', 'Mobility Header', 'UDPLite', 'MPLS-in-IP',
  'manet', 'HIP',
  'Shim6', 'WESP', 'ROHC', 'Ethernet', 'AGGFRAG', 'NSH',
];

/** pmacct's `_protocols` table (src/pmacct-data.h): numbers without a name print as digits. */
// prettier-ignore
const PMACCT_PROTO_NAMES: Readonly<Record<number, string>> = {
  1: 'icmp', 2: 'igmp', 3: 'ggp', 4: 'ipencap', 6: 'tcp', 8: 'egp', 9: 'igp', 17: 'udp',
  18: 'mux', 41: 'ipv6', 43: 'ipv6-route', 44: 'ipv6-frag', 46: 'rsvp', 47: 'gre', 50: 'esp',
  51: 'ah', 55: 'mobile', 56: 'tlsp', 58: 'ipv6-icmp', 59: 'ipv6-nonxt', 60: 'ipv6-opts',
  80: 'iso-ip', 83: 'vines', 88: 'eigrp', 89: 'ospf', 91: 'larp', 93: 'ax.25', 94: 'ipip',
  98: 'encap', 102: 'pnni', 103: 'pim', 108: 'IPcomp', 111: 'ipx-in-ip', 112: 'vrrp',
  115: 'l2tp', 124: 'isis', 132: 'sctp', 133: 'fc',
};

/** Names that mean "the collector does not know": see PROTO_UNKNOWN. */
const UNKNOWN_PROTO_NAMES = ['', 'unknown', 'unassigned', 'experimental', 'reserved'];

// Exact spellings first (no per-record toLowerCase for what collectors really write), then a
// lower-cased fallback for hand-written producers.
const EXACT = new Map<string, number>();
const FOLDED = new Map<string, number>();
function addName(name: string, proto: number): void {
  if (!EXACT.has(name)) EXACT.set(name, proto);
  const folded = name.toLowerCase();
  if (!FOLDED.has(folded)) FOLDED.set(folded, proto);
}
GOFLOW2_PROTO_NAMES.forEach((name, proto) => addName(name, proto));
for (const [proto, name] of Object.entries(PMACCT_PROTO_NAMES)) addName(name, Number(proto));
addName('ICMPv6', 58); // goflow2 v2.0/v2.1 spelling
for (const name of UNKNOWN_PROTO_NAMES) addName(name, PROTO_UNKNOWN);

/**
 * The IANA protocol number for a collector's protocol name ("TCP", "tcp", "IPv6-ICMP",
 * "ICMPv6", "gre", …) or decimal digits ("47"); `undefined` when not recognised.
 */
export function protoFromName(name: string): number | undefined {
  const exact = EXACT.get(name);
  if (exact !== undefined) return exact;
  const n = name.length;
  if (n > 0 && n <= 3) {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const d = name.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return FOLDED.get(name.toLowerCase());
      v = v * 10 + d;
    }
    return v <= 255 ? v : undefined;
  }
  return FOLDED.get(name.toLowerCase());
}

/** The protocol name goflow2 v2.2+ writes in `-format=json` for an IANA protocol number. */
export function goflow2ProtoName(proto: number): string {
  const name = GOFLOW2_PROTO_NAMES[proto];
  if (name !== undefined) return name;
  if (proto >= 146 && proto <= 252) return 'unassigned';
  if (proto === 253 || proto === 254) return 'experimental';
  return proto === 255 ? 'reserved' : 'unknown';
}

/** The `ip_proto` string pmacct writes for an IANA protocol number (name, or digits). */
export function pmacctProtoName(proto: number): string {
  return PMACCT_PROTO_NAMES[proto] ?? String(proto);
}

/** EtherTypes: what goflow2 calls `etype`. */
export const ETYPE = { IPv4: 0x0800, ARP: 0x0806, IPv6: 0x86dd } as const;

/** goflow2's `etype` name for an EtherType ("" for those it has no name for). */
export function goflow2EtypeName(etype: number): string {
  if (etype === ETYPE.IPv4) return 'IPv4';
  if (etype === ETYPE.IPv6) return 'IPv6';
  return etype === ETYPE.ARP ? 'ARP' : '';
}
