import type { GroupStat } from '@surgewatch/shared';
import { OTHER_KEY, UNKNOWN_KEY } from '@surgewatch/shared';

/** How a key compares with its own recent normal, in words as well as shape. */
export type Surge = 'new' | 'surge' | 'up' | 'steady' | 'down';

export interface TopRow {
  key: string;
  /** Short label in bold (ASN number, address, vector); `name` follows it dimmed. */
  code: string;
  name: string;
  /** bits/s and packets/s in the newest second. */
  bps: number;
  pps: number;
  /** Distinct sources in the newest second (estimate). */
  sources: number;
  /** Fraction of the total bits/s, 0..1. */
  share: number;
  ratio: number | null;
  surge: Surge;
}

/** Ratio bands: ×2 or more is a surge worth the eye; under ×0.5 a clear drop. */
export function surgeOf(ratio: number | null): Surge {
  if (ratio === null) return 'new';
  if (ratio >= 2) return 'surge';
  if (ratio >= 1.25) return 'up';
  if (ratio > 0.5) return 'steady';
  return 'down';
}

/**
 * Current bps ÷ baseline bps as text: "×3.2" under ten, "×38" above, ">×999" beyond;
 * null (no baseline: a key that was not sending before) → "new".
 */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return 'new';
  if (!Number.isFinite(ratio) || ratio > 999) return '>×999';
  if (ratio >= 9.95) return `×${Math.round(ratio)}`;
  return `×${ratio.toFixed(1)}`;
}

/** "AS13238 YANDEX LLC" → code "AS13238", name "YANDEX LLC"; other keys keep their name. */
export function splitName(key: string, name: string): { code: string; name: string } {
  if (key.startsWith('AS') && name.startsWith(`${key} `)) {
    return { code: key, name: name.slice(key.length + 1) };
  }
  if (name === key || name === '') return { code: key, name: '' };
  return { code: '', name };
}

/**
 * The first `n` groups of one dimension (the server sends them largest first), without the
 * `other` and `unknown` buckets, with their share of `totalBps` (the second's total).
 */
export function topRows(
  groups: readonly GroupStat[] | undefined,
  totalBps: number,
  n: number,
): TopRow[] {
  if (!groups) return [];
  return groups
    .filter((g) => g.key !== OTHER_KEY && g.key !== UNKNOWN_KEY && g.bps > 0)
    .slice(0, n)
    .map((g) => ({
      key: g.key,
      ...splitName(g.key, g.name),
      bps: g.bps,
      pps: g.pps,
      sources: g.sources,
      share: totalBps > 0 ? Math.min(1, g.bps / totalBps) : 0,
      ratio: g.ratio,
      surge: surgeOf(g.ratio),
    }));
}
