/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). Deterministic per seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed with a second number into a new 32-bit seed (for per-second streams). */
export function mixSeed(seed: number, n: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

/** Picks a key from a table of weights (weights need not sum to 1). */
export function weighted<K extends string>(
  rnd: () => number,
  table: readonly (readonly [K, number])[],
): K {
  let total = 0;
  for (const [, w] of table) total += w;
  let x = rnd() * total;
  for (const [k, w] of table) {
    x -= w;
    if (x < 0) return k;
  }
  return (table[table.length - 1] as readonly [K, number])[0];
}

/** Integer in [lo, hi]. */
export function intBetween(rnd: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}
