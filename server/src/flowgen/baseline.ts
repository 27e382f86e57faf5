import type { Flow } from '@surgewatch/shared';
import { PROTO } from '@surgewatch/shared';
import { COUNTRY_PREFIXES, ipv4Text, parseBlock, type Block } from '../ingest/demo/prefixes.js';
import { intBetween, mulberry32, weighted } from '../ingest/demo/random.js';

/** Where steady, ordinary traffic comes from (weights), drawn from blocks the GeoIP DB places there. */
const COUNTRIES = [
  ['DE', 30],
  ['US', 15],
  ['FR', 8],
  ['GB', 8],
  ['NL', 6],
  ['PL', 5],
  ['IT', 5],
  ['ES', 5],
  ['RU', 4],
  ['BR', 4],
  ['JP', 3],
  ['IN', 3],
  ['CN', 2],
  ['CA', 2],
] as const satisfies readonly (readonly [string, number])[];
const SERVICES = ['203.0.113.10', '203.0.113.20', '203.0.113.30'] as const;

const blocks = new Map<string, Block[]>(
  Object.entries(COUNTRY_PREFIXES).map(([cc, list]) => [cc, list.map(parseBlock)]),
);

export interface Baseline {
  /** `n` flows that ended within the second before `nowMs` (ms epoch). */
  flows(n: number, nowMs: number): Flow[];
}

/**
 * A steady baseline: HTTPS, DNS and some ICMP from many countries to three services,
 * unsampled (sampling 1) so every encoder round-trips the counters exactly. Deterministic
 * for a seed and the same sequence of calls.
 */
export function createBaseline(seed: number): Baseline {
  const rnd = mulberry32(seed);
  const address = (): string => {
    const list = blocks.get(weighted(rnd, COUNTRIES)) as Block[];
    const b = list[Math.floor(rnd() * list.length)] as Block;
    return ipv4Text((b.base + 1 + Math.floor(rnd() * (b.size - 2))) >>> 0);
  };
  const one = (nowMs: number): Flow => {
    const end = nowMs - Math.floor(rnd() * 1000);
    const kind = rnd();
    const proto = kind < 0.85 ? PROTO.TCP : kind < 0.97 ? PROTO.UDP : PROTO.ICMP;
    const packets = proto === PROTO.TCP ? intBetween(rnd, 2, 40) : intBetween(rnd, 1, 4);
    const size = proto === PROTO.TCP ? intBetween(rnd, 60, 1400) : intBetween(rnd, 60, 512);
    return {
      end,
      start: end - Math.floor(rnd() * 4000),
      src: address(),
      dst: SERVICES[Math.floor(rnd() * SERVICES.length)] as string,
      sport: proto === PROTO.ICMP ? 0 : intBetween(rnd, 32768, 60999),
      dport: proto === PROTO.TCP ? 443 : proto === PROTO.UDP ? 53 : 0,
      proto,
      bytes: packets * size,
      packets,
      sampling: 1,
      tcpFlags: proto === PROTO.TCP ? 0x18 : 0,
      srcAs: 0,
      dstAs: 0,
      exporter: '192.0.2.1',
    };
  };
  return {
    flows(n, nowMs) {
      const out: Flow[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = one(nowMs);
      return out;
    },
  };
}
