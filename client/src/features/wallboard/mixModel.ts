import type { GroupStat } from '@surgewatch/shared';
import { OTHER_KEY, UNKNOWN_KEY } from '@surgewatch/shared';

export interface MixPart {
  key: string;
  name: string;
  /** Fraction of the dimension's bits/s, 0..1. */
  share: number;
  bps: number;
}

/**
 * One dimension's split of the newest second's bits/s: the first `n` keys, largest first,
 * then everything else (server's `other`, `unknown`, keys past `n`) as one `other` part.
 * Shares are of the sum of all groups sent, so the parts add up to 1.
 */
export function mixParts(groups: readonly GroupStat[] | undefined, n: number): MixPart[] {
  if (!groups || groups.length === 0) return [];
  const total = groups.reduce((s, g) => s + Math.max(0, g.bps), 0);
  if (total <= 0) return [];
  const named = groups
    .filter((g) => g.key !== OTHER_KEY && g.key !== UNKNOWN_KEY && g.bps > 0)
    .sort((a, b) => b.bps - a.bps);
  const parts: MixPart[] = named
    .slice(0, n)
    .map((g) => ({ key: g.key, name: g.name, bps: g.bps, share: g.bps / total }));
  const restBps = total - parts.reduce((s, p) => s + p.bps, 0);
  if (restBps / total > 0.0005) {
    parts.push({ key: OTHER_KEY, name: 'Other', bps: restBps, share: restBps / total });
  }
  return parts;
}

/**
 * A name short enough for its bar: "UDP reflection: IKE (500/4500)" → "IKE refl.",
 * "TCP SYN-ACK reflection" → "SYN-ACK refl.", "TCP (established)" → "TCP est."; others as
 * they are.
 */
export function shortName(name: string): string {
  const udp = /^UDP reflection: (.+?)(?: \([\d/]+\))?$/.exec(name);
  if (udp) return `${udp[1]} refl.`;
  return name.replace(/^TCP (.+) reflection$/, '$1 refl.').replace(/ \(established\)$/, ' est.');
}
