/**
 * Address blocks that the bundled DB-IP country database places wholly in one country
 * (checked by prefixes.test.ts against the real database). The demo draws sources from
 * them so the dashboard shows the countries the scenario intends.
 */
export const COUNTRY_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  DE: ['85.214.0.0/16', '91.0.0.0/12', '79.192.0.0/10'],
  US: ['24.0.0.0/12', '73.0.0.0/8', '98.0.0.0/11', '68.32.0.0/11'],
  FR: ['82.64.0.0/14', '86.192.0.0/11'],
  GB: ['86.128.0.0/10', '81.128.0.0/11', '2.96.0.0/13'],
  NL: ['84.104.0.0/14', '77.160.0.0/12'],
  PL: ['83.0.0.0/11', '89.64.0.0/12'],
  IT: ['79.0.0.0/10', '93.32.0.0/12'],
  ES: ['88.0.0.0/11', '83.32.0.0/11', '79.144.0.0/12'],
  SE: ['78.64.0.0/12'],
  AT: ['91.114.0.0/15', '77.116.0.0/14'],
  CH: ['85.0.0.0/13', '178.192.0.0/13'],
  JP: ['114.144.0.0/12'],
  IN: ['117.192.0.0/10', '59.88.0.0/13'],
  CA: ['142.112.0.0/12', '70.24.0.0/13'],
  KR: ['175.192.0.0/10', '121.128.0.0/10'],
  CN: ['36.96.0.0/11', '112.0.0.0/10', '183.0.0.0/10'],
  VN: ['113.160.0.0/11', '14.160.0.0/11'],
  MX: ['189.128.0.0/10'],
  AU: ['1.128.0.0/11'],
  // the attackers of the motivating incident
  RU: [
    '95.24.0.0/13',
    '213.87.0.0/16',
    '94.25.0.0/16',
    '31.173.0.0/16',
    '176.59.0.0/16',
    '91.76.0.0/14',
    '2.92.0.0/14',
    '178.64.0.0/14',
  ],
  BR: ['200.147.0.0/16', '191.176.0.0/12'],
};

/** Parsed IPv4 block: first address as an unsigned 32-bit integer, and its size. */
export interface Block {
  base: number;
  size: number;
}

/** Parses "a.b.c.d/len" into a Block. */
export function parseBlock(cidr: string): Block {
  const [addr, len] = cidr.split('/') as [string, string];
  const [a, b, c, d] = addr.split('.').map(Number) as [number, number, number, number];
  const bits = Number(len);
  return { base: ((a << 24) | (b << 16) | (c << 8) | d) >>> 0, size: 2 ** (32 - bits) };
}

/** Dotted-quad text of an unsigned 32-bit address. */
export function ipv4Text(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
