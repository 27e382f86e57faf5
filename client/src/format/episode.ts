import type { Alert, AlertContributor } from '@surgewatch/shared';
import { isVector, VECTOR_NAMES } from '@surgewatch/shared';

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'] as const;

/** "second wave" for 2 … "fifth wave", then "wave 6"; 1 is "first wave". */
export function waveName(n: number): string {
  const word = ORDINALS[n - 1];
  return word ? `${word} wave` : `wave ${n}`;
}

/** How the previous wave is referred to after "… after": "the first", …, "wave 6". */
function previousName(n: number): string {
  const word = ORDINALS[n - 1];
  return word ? `the ${word}` : `wave ${n}`;
}

/**
 * A gap between waves for people, rounded to what matters: "45 s", "9 min", "1 h 20 min",
 * "2 d 3 h". `ms` is a duration in ms; negative or non-finite counts as 0.
 */
export function formatGap(ms: number): string {
  const x = Number.isFinite(ms) && ms > 0 ? ms : 0;
  const s = Math.round(x / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(x / 60_000);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const hours = Math.round(x / 3_600_000);
  const d = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${d} d` : `${d} d ${hours % 24} h`;
}

/**
 * Which wave an alert is, for people: "second wave, 9 min after the first" (the gap from the
 * previous wave's end to this one's start), "wave 7, 2 min after wave 6"; null for a first
 * wave or an alert recorded before episodes. Without the previous end: "second wave".
 */
export function waveLabel(alert: Pick<Alert, 'startedAt' | 'episode'>): string | null {
  const ep = alert.episode;
  if (!ep || ep.n < 2) return null;
  const name = waveName(ep.n);
  if (ep.previousResolvedAt === null) return name;
  return `${name}, ${formatGap(alert.startedAt - ep.previousResolvedAt)} after ${previousName(ep.n - 1)}`;
}

/** A shared-table vector key → its name ("TCP SYN"); an unknown key's own name or key. */
export function vectorName(c: Pick<AlertContributor, 'key' | 'name'>): string {
  if (isVector(c.key)) return VECTOR_NAMES[c.key];
  return c.name || c.key;
}

export interface VectorShare {
  key: string;
  name: string;
  /** Part of the subject's traffic, 0–1 (the server's; else of the listed vectors' sum). */
  share: number;
  bps: number;
}

/**
 * An alert's heaviest `n` vectors with their shares, heaviest first. Shares are the server's
 * (of the whole subject); a contributor without one gets its part of the listed vectors' bps.
 */
export function topVectors(alert: Pick<Alert, 'explanation'>, n: number): VectorShare[] {
  const list = alert.explanation?.vectors ?? [];
  const total = list.reduce((s, c) => s + c.bps, 0);
  return list
    .map((c) => ({
      key: c.key,
      name: vectorName(c),
      share: c.share ?? (total > 0 ? c.bps / total : 0),
      bps: c.bps,
    }))
    .sort((a, b) => b.share - a.share || b.bps - a.bps || a.key.localeCompare(b.key))
    .slice(0, n);
}

/** "TCP SYN 62% · UDP reflection: DNS (53) 31%": shares in whole percent, 0% left out. */
export function vectorsText(vectors: readonly VectorShare[]): string {
  return vectors
    .filter((v) => Math.round(v.share * 100) > 0)
    .map((v) => `${v.name} ${Math.round(v.share * 100)}%`)
    .join(' · ');
}
