import ipaddr from 'ipaddr.js';

/** A named set of our own prefixes (a service, a site, a customer). */
export interface NamedNetwork {
  name: string;
  cidrs: readonly string[];
}

type Parsed = { name: string; net: ipaddr.IPv4 | ipaddr.IPv6; bits: number };

/**
 * Longest-prefix match of an address against configured networks: the name of the most
 * specific network holding it, or null. Invalid CIDRs are rejected when built (config
 * validation reports them first).
 */
export function createNetworkMatcher(
  networks: readonly NamedNetwork[],
): (ip: string) => string | null {
  const parsed: Parsed[] = [];
  for (const n of networks) {
    for (const c of n.cidrs) {
      const [net, bits] = ipaddr.parseCIDR(c);
      parsed.push({ name: n.name, net, bits });
    }
  }
  parsed.sort((a, b) => b.bits - a.bits);
  const cache = new Map<string, string | null>();
  return (ip) => {
    if (parsed.length === 0) return null;
    let hit = cache.get(ip);
    if (hit !== undefined) return hit;
    hit = null;
    try {
      const addr = ipaddr.process(ip);
      for (const p of parsed) {
        if (p.net.kind() === addr.kind() && addr.match(p.net as never, p.bits)) {
          hit = p.name;
          break;
        }
      }
    } catch {
      hit = null;
    }
    if (cache.size >= 65_536) cache.clear();
    cache.set(ip, hit);
    return hit;
  };
}
