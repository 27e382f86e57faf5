import type { Flow } from '@surgewatch/shared';
import { PROTO } from '@surgewatch/shared';
import { COUNTRY_PREFIXES, ipv4Text, parseBlock, type Block } from './prefixes.js';
import { intBetween, mixSeed, mulberry32, weighted } from './random.js';

/** Our services in the demo: a campaign website, its API and the campaign tool. */
export const DEMO_SERVICES = [
  { name: 'campaign-web', cidrs: ['203.0.113.10/32'], ip: '203.0.113.10', weight: 0.55 },
  { name: 'campaign-api', cidrs: ['203.0.113.20/32'], ip: '203.0.113.20', weight: 0.3 },
  { name: 'canvass-tool', cidrs: ['203.0.113.30/32'], ip: '203.0.113.30', weight: 0.15 },
] as const;

export type Phase = 'calm' | 'wave1' | 'wave2';

export interface ScenarioOptions {
  seed: number;
  /** Length of one loop, ms (the story compressed: calm, wave 1, calm, wave 2, calm). */
  loopMs: number;
  /** Flow records per second of ordinary traffic. */
  baselineFps: number;
}

/** Packet sampling the demo's exporters use: 1 in 100, as many real routers do. */
export const DEMO_SAMPLING = 100;

/** Phase boundaries as fractions of the loop. */
const WAVE1 = [0.25, 0.42] as const;
const WAVE2 = [0.58, 0.83] as const;
const RAMP = 0.03;

const VISITORS = [
  ['DE', 30],
  ['US', 12],
  ['FR', 8],
  ['GB', 8],
  ['NL', 6],
  ['PL', 5],
  ['IT', 5],
  ['ES', 5],
  ['AT', 4],
  ['CH', 3],
  ['SE', 3],
  ['CA', 2],
  ['JP', 2],
  ['IN', 2],
  ['AU', 1],
  ['MX', 1],
] as const satisfies readonly (readonly [string, number])[];
/** Where the open reflectors of wave 2 sit. */
const REFLECTORS = [
  ['RU', 25],
  ['BR', 25],
  ['CN', 15],
  ['US', 10],
  ['VN', 8],
  ['KR', 7],
  ['IN', 5],
] as const satisfies readonly (readonly [string, number])[];
/** Amplification vectors: reflector source port and typical response packet size, bytes. */
const AMPLIFIERS = [
  [53, 3000, 0.4],
  [123, 468, 0.25],
  [11211, 1400, 0.15],
  [1900, 320, 0.1],
  [389, 1480, 0.1],
] as const;

const blocks = new Map<string, Block[]>(
  Object.entries(COUNTRY_PREFIXES).map(([cc, list]) => [cc, list.map(parseBlock)]),
);

function addressIn(rnd: () => number, country: string): string {
  const list = blocks.get(country) as Block[];
  const b = list[Math.floor(rnd() * list.length)] as Block;
  // skip .0 and .255 so addresses look like hosts
  const offset = Math.floor(rnd() * (b.size - 2)) + 1;
  return ipv4Text((b.base + offset) >>> 0);
}

/** Smooth 0→1→0 envelope over [lo, hi] of the loop, with linear ramps. */
function envelope(x: number, [lo, hi]: readonly [number, number]): number {
  if (x < lo || x > hi) return 0;
  return Math.min(1, (x - lo) / RAMP, (hi - x) / RAMP);
}

export interface Scenario {
  /** All flows that ended in the second starting at `t` (ms epoch, multiple of 1000). */
  flowsForSecond(t: number): Flow[];
  /** The scenario phase at `t`. */
  phaseAt(t: number): Phase;
}

/**
 * The demo scenario: ordinary visitors from many countries to three campaign services,
 * then a low-level wave from Russia and Brazil, then a larger multi-vector wave (SYN flood
 * from spoofed sources plus UDP amplification via reflectors), looping. Pure and
 * deterministic: the same seed and second always give the same flows.
 */
export function createScenario(opts: ScenarioOptions): Scenario {
  const botRnd = mulberry32(mixSeed(opts.seed, 0xb075));
  // the wave-1 botnet: a fixed set of machines in Russia and Brazil
  const bots = Array.from({ length: 160 }, () => addressIn(botRnd, botRnd() < 0.6 ? 'RU' : 'BR'));
  const reflectors = Array.from({ length: 400 }, () =>
    addressIn(botRnd, weighted(botRnd, REFLECTORS)),
  );

  const loopPos = (t: number): number =>
    (((t % opts.loopMs) + opts.loopMs) % opts.loopMs) / opts.loopMs;

  const flow = (
    t: number,
    rnd: () => number,
    src: string,
    dst: string,
    sport: number,
    dport: number,
    proto: number,
    sampledPackets: number,
    bytesPerPacket: number,
    tcpFlags: number,
  ): Flow => {
    const end = t + Math.floor(rnd() * 1000);
    return {
      end,
      start: end - Math.floor(rnd() * 800),
      src,
      dst,
      sport,
      dport,
      proto,
      packets: sampledPackets * DEMO_SAMPLING,
      bytes: sampledPackets * bytesPerPacket * DEMO_SAMPLING,
      sampling: DEMO_SAMPLING,
      tcpFlags,
      srcAs: 0,
      dstAs: 0,
      exporter: '192.0.2.1',
    };
  };

  const service = (rnd: () => number): string =>
    weighted(
      rnd,
      DEMO_SERVICES.map((s) => [s.ip, s.weight] as const),
    );

  return {
    phaseAt(t) {
      const x = loopPos(t);
      if (envelope(x, WAVE1) > 0) return 'wave1';
      if (envelope(x, WAVE2) > 0) return 'wave2';
      return 'calm';
    },

    flowsForSecond(t) {
      const rnd = mulberry32(mixSeed(opts.seed, Math.floor(t / 1000)));
      const x = loopPos(t);
      const out: Flow[] = [];
      // ordinary visitors: a gentle diurnal-like swell and noise
      const swell = 1 + 0.15 * Math.sin(2 * Math.PI * x) + 0.05 * (rnd() - 0.5);
      const n = Math.round(opts.baselineFps * swell);
      for (let i = 0; i < n; i++) {
        const src = addressIn(rnd, weighted(rnd, VISITORS));
        out.push(
          flow(
            t,
            rnd,
            src,
            service(rnd),
            intBetween(rnd, 32768, 60999),
            443,
            PROTO.TCP,
            intBetween(rnd, 1, 6),
            intBetween(rnd, 200, 900),
            0x18,
          ),
        );
      }
      const w1 = envelope(x, WAVE1);
      if (w1 > 0) {
        // low-level: HTTPS request floods and SYNs from the botnet at the campaign tool
        const k = Math.round(opts.baselineFps * 1.5 * w1);
        for (let i = 0; i < k; i++) {
          const src = bots[Math.floor(rnd() * bots.length)] as string;
          const syn = rnd() < 0.4;
          out.push(
            flow(
              t,
              rnd,
              src,
              '203.0.113.30',
              intBetween(rnd, 1024, 65535),
              443,
              PROTO.TCP,
              intBetween(rnd, 6, 20),
              syn ? 60 : 580,
              syn ? 0x02 : 0x18,
            ),
          );
        }
      }
      const w2 = envelope(x, WAVE2);
      if (w2 > 0) {
        // SYN flood from spoofed sources anywhere in the IPv4 space
        const syns = Math.round(opts.baselineFps * 6 * w2);
        for (let i = 0; i < syns; i++) {
          const src = ipv4Text(
            ((1 + Math.floor(rnd() * 222)) * 2 ** 24 + Math.floor(rnd() * 2 ** 24)) >>> 0,
          );
          out.push(
            flow(
              t,
              rnd,
              src,
              '203.0.113.10',
              intBetween(rnd, 1024, 65535),
              443,
              PROTO.TCP,
              intBetween(rnd, 20, 60),
              60,
              0x02,
            ),
          );
        }
        // UDP amplification: reflectors answer queries we never sent
        const amps = Math.round(opts.baselineFps * 2 * w2);
        for (let i = 0; i < amps; i++) {
          const [sport, size] = weighted(
            rnd,
            AMPLIFIERS.map(([p, s, w]) => [`${p}:${s}`, w] as const),
          )
            .split(':')
            .map(Number) as [number, number];
          const src = reflectors[Math.floor(rnd() * reflectors.length)] as string;
          out.push(
            flow(
              t,
              rnd,
              src,
              rnd() < 0.7 ? '203.0.113.10' : '203.0.113.20',
              sport,
              intBetween(rnd, 1024, 65535),
              PROTO.UDP,
              intBetween(rnd, 10, 25),
              size,
              0,
            ),
          );
        }
        // the botnet returns, heavier
        const k = Math.round(opts.baselineFps * 2 * w2);
        for (let i = 0; i < k; i++) {
          const src = bots[Math.floor(rnd() * bots.length)] as string;
          out.push(
            flow(
              t,
              rnd,
              src,
              '203.0.113.30',
              intBetween(rnd, 1024, 65535),
              443,
              PROTO.TCP,
              intBetween(rnd, 8, 24),
              580,
              0x18,
            ),
          );
        }
      }
      return out;
    },
  };
}
