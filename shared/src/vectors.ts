/**
 * The attack vectors a flow is classified into: one table, read by the server's classifier
 * (which builds its lookups from it), the rules and the client. Keys are stored in aggregated
 * data and named by rules: never rename one; retire it instead.
 */

/**
 * How a vector is recognised: by the TCP flags a flow carries, by the UDP source port of a
 * reflector, as a fragment (a TCP or UDP flow with both ports 0: no L4 header to read) or by
 * the IP protocol alone.
 */
export type VectorKind = 'tcp-flags' | 'reflection' | 'fragment' | 'protocol';

/** TCP header flag bits (the low byte of the flags field). */
const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_PSH = 0x08;
const TCP_ACK = 0x10;

/**
 * A test on a flow's TCP flags — the OR of all its packets' flags: every bit of `set` is set
 * and every bit of `clear` is clear.
 */
export interface TcpFlagTest {
  readonly set: number;
  readonly clear: number;
}

export interface VectorSpec {
  readonly key: string;
  /** English display name. */
  readonly name: string;
  readonly kind: VectorKind;
  /**
   * `tcp-flags` only: the test; TCP vectors are tried in table order, the first that passes
   * wins. None = the TCP flows no other vector takes.
   */
  readonly flags?: TcpFlagTest;
  /** `reflection` only: the UDP source ports the reflectors answer from. */
  readonly ports?: readonly number[];
  /** `protocol` only: the IP protocol numbers. None = every flow no other vector takes. */
  readonly protos?: readonly number[];
  /** Kept so stored data and old rules still name it; the classifier no longer produces it. */
  readonly retired?: boolean;
}

const PAYLOAD_OR_CLOSE = TCP_PSH | TCP_FIN;

const TABLE = [
  // SYN-ACK and RST floods carry no data: a real connection's flow ORs in PSH (and FIN), so
  // SYN+ACK or RST alone is reflection or a flood, SYN+ACK+PSH is an ordinary connection.
  { key: 'tcp-syn', name: 'TCP SYN', kind: 'tcp-flags', flags: { set: TCP_SYN, clear: TCP_ACK } },
  {
    key: 'tcp-synack',
    name: 'TCP SYN-ACK reflection',
    kind: 'tcp-flags',
    flags: { set: TCP_SYN | TCP_ACK, clear: PAYLOAD_OR_CLOSE },
  },
  {
    key: 'tcp-rst',
    name: 'TCP RST flood',
    kind: 'tcp-flags',
    flags: { set: TCP_RST, clear: TCP_SYN | TCP_PSH },
  },
  {
    key: 'tcp-ack',
    name: 'TCP ACK flood',
    kind: 'tcp-flags',
    flags: { set: TCP_ACK, clear: TCP_SYN | TCP_RST | PAYLOAD_OR_CLOSE },
  },
  { key: 'tcp', name: 'TCP (established)', kind: 'tcp-flags' },

  { key: 'udp-amp-qotd', name: 'UDP reflection: QOTD (17)', kind: 'reflection', ports: [17] },
  { key: 'udp-amp-chargen', name: 'UDP reflection: chargen (19)', kind: 'reflection', ports: [19] },
  { key: 'udp-amp-dns', name: 'UDP reflection: DNS (53)', kind: 'reflection', ports: [53] },
  { key: 'udp-amp-tftp', name: 'UDP reflection: TFTP (69)', kind: 'reflection', ports: [69] },
  {
    key: 'udp-amp-portmap',
    name: 'UDP reflection: portmap (111)',
    kind: 'reflection',
    ports: [111],
  },
  { key: 'udp-amp-ntp', name: 'UDP reflection: NTP (123)', kind: 'reflection', ports: [123] },
  {
    key: 'udp-amp-netbios',
    name: 'UDP reflection: NetBIOS (137)',
    kind: 'reflection',
    ports: [137],
  },
  { key: 'udp-amp-snmp', name: 'UDP reflection: SNMP (161)', kind: 'reflection', ports: [161] },
  { key: 'udp-amp-cldap', name: 'UDP reflection: CLDAP (389)', kind: 'reflection', ports: [389] },
  { key: 'udp-amp-slp', name: 'UDP reflection: SLP (427)', kind: 'reflection', ports: [427] },
  {
    key: 'udp-amp-ike',
    name: 'UDP reflection: IKE (500/4500)',
    kind: 'reflection',
    ports: [500, 4500],
  },
  { key: 'udp-amp-rip', name: 'UDP reflection: RIP (520)', kind: 'reflection', ports: [520] },
  {
    key: 'udp-amp-openvpn',
    name: 'UDP reflection: OpenVPN (1194)',
    kind: 'reflection',
    ports: [1194],
  },
  {
    key: 'udp-amp-mssql',
    name: 'UDP reflection: MS SQL (1434)',
    kind: 'reflection',
    ports: [1434],
  },
  {
    key: 'udp-amp-citrix',
    name: 'UDP reflection: Citrix (1604)',
    kind: 'reflection',
    ports: [1604],
  },
  { key: 'udp-amp-ssdp', name: 'UDP reflection: SSDP (1900)', kind: 'reflection', ports: [1900] },
  { key: 'udp-amp-arms', name: 'UDP reflection: ARMS (3283)', kind: 'reflection', ports: [3283] },
  { key: 'udp-amp-rdp', name: 'UDP reflection: RDP (3389)', kind: 'reflection', ports: [3389] },
  {
    key: 'udp-amp-wsd',
    name: 'UDP reflection: WS-Discovery (3702)',
    kind: 'reflection',
    ports: [3702],
  },
  {
    key: 'udp-amp-sentinel',
    name: 'UDP reflection: Sentinel (5093)',
    kind: 'reflection',
    ports: [5093],
  },
  {
    key: 'udp-amp-natpmp',
    name: 'UDP reflection: NAT-PMP (5351)',
    kind: 'reflection',
    ports: [5351],
  },
  { key: 'udp-amp-mdns', name: 'UDP reflection: mDNS (5353)', kind: 'reflection', ports: [5353] },
  { key: 'udp-amp-coap', name: 'UDP reflection: CoAP (5683)', kind: 'reflection', ports: [5683] },
  {
    key: 'udp-amp-ubiquiti',
    name: 'UDP reflection: Ubiquiti (10001)',
    kind: 'reflection',
    ports: [10001],
  },
  {
    key: 'udp-amp-tp240',
    name: 'UDP reflection: TP240 (10074)',
    kind: 'reflection',
    ports: [10074],
  },
  {
    key: 'udp-amp-memcached',
    name: 'UDP reflection: memcached (11211)',
    kind: 'reflection',
    ports: [11211],
  },
  {
    key: 'udp-amp-steam',
    name: 'UDP reflection: Steam (27015)',
    kind: 'reflection',
    ports: [27015],
  },
  {
    key: 'udp-amp-quake',
    name: 'UDP reflection: Quake (27960)',
    kind: 'reflection',
    ports: [27960],
  },
  {
    key: 'udp-amp-lantronix',
    name: 'UDP reflection: Lantronix (30718)',
    kind: 'reflection',
    ports: [30718],
  },
  { key: 'udp-amp-plex', name: 'UDP reflection: Plex (32414)', kind: 'reflection', ports: [32414] },
  {
    key: 'udp-amp-jenkins',
    name: 'UDP reflection: Jenkins (33848)',
    kind: 'reflection',
    ports: [33848],
  },
  { key: 'udp-amp-dvr', name: 'UDP reflection: DVR (37810)', kind: 'reflection', ports: [37810] },
  {
    key: 'udp-amp-crestron',
    name: 'UDP reflection: Crestron (41794)',
    kind: 'reflection',
    ports: [41794],
  },
  {
    key: 'udp-amp-bacnet',
    name: 'UDP reflection: BACnet (47808)',
    kind: 'reflection',
    ports: [47808],
  },
  // Before the table, a few reflectors shared this key; data stored then still carries it.
  {
    key: 'udp-amp-other',
    name: 'UDP reflection: other',
    kind: 'reflection',
    ports: [],
    retired: true,
  },

  { key: 'fragment', name: 'IP fragments', kind: 'fragment' },
  { key: 'udp', name: 'UDP', kind: 'protocol', protos: [17] },
  { key: 'icmp', name: 'ICMP', kind: 'protocol', protos: [1, 58] },
  { key: 'gre', name: 'GRE', kind: 'protocol', protos: [47] },
  { key: 'other', name: 'Other protocols', kind: 'protocol' },
] as const satisfies readonly VectorSpec[];

type Row = (typeof TABLE)[number];

/** An attack vector's key: "tcp-syn", "udp-amp-dns", … */
export type Vector = Row['key'];
/** A UDP reflection vector's key. */
export type ReflectionVector = Extract<Row, { kind: 'reflection' }>['key'];

/** Every vector with how it is recognised, in classification order. */
export const VECTOR_TABLE: readonly (VectorSpec & { readonly key: Vector })[] = TABLE;

/** Every vector key, retired ones included. */
export const VECTORS: readonly Vector[] = TABLE.map((v) => v.key);

/** The UDP reflection (amplification) vectors, `udp-amp-other` included for stored data. */
export const REFLECTION_VECTORS: readonly ReflectionVector[] = TABLE.flatMap((v) =>
  v.kind === 'reflection' ? [v.key] : [],
);

/** English names of the vectors. */
export const VECTOR_NAMES: Readonly<Record<Vector, string>> = Object.fromEntries(
  TABLE.map((v) => [v.key, v.name]),
) as Record<Vector, string>;

const KEYS: ReadonlySet<string> = new Set(VECTORS);

/** Whether a string is a vector key. */
export function isVector(key: string): key is Vector {
  return KEYS.has(key);
}
