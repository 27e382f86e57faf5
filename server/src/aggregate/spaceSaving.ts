import { hash32 } from './hash.js';

/** One heavy hitter: an item, its estimated weight and the most that estimate may overcount. */
export interface Hitter {
  item: string;
  weight: number;
  error: number;
}

/**
 * Space-Saving heavy hitters (Metwally et al.), weighted: keeps at most `k` counters, so
 * memory is fixed however many distinct sources a flood spoofs. Any item whose true weight
 * exceeds total/k is guaranteed to be held; an estimate never undercounts and overcounts by
 * at most its `error`. Small k (≤ 16): parallel arrays and one linear pass beat a Map,
 * which a spoofed flood would churn on every record.
 */
export class SpaceSaving {
  // plain arrays, not typed ones: thousands of these are made per second under a flood, and
  // each typed array is a separate off-heap allocation that fragments the process's memory
  private readonly items: string[] = [];
  /** 32-bit hashes of the items: compared first, so most misses never touch the strings. */
  private readonly hashes: number[] = [];
  private readonly weights: number[] = [];
  private readonly errors: number[] = [];

  constructor(readonly k: number) {}

  /**
   * Adds `weight` (e.g. bytes) to `item`, whose 32-bit hash is `hash` (see hash32). Returns
   * the hash of the item it evicted to make room, or -1 when nothing was evicted.
   */
  add(item: string, weight: number, hash: number = hash32(item)): number {
    if (this.k === 0) return -1;
    const items = this.items;
    const n = items.length;
    const w = this.weights;
    const hs = this.hashes;
    // the hit path compares hashes only (a miss touches no string and no weight)
    for (let i = 0; i < n; i++) {
      if (hs[i] === hash && items[i] === item) {
        w[i] = (w[i] as number) + weight;
        return -1;
      }
    }
    if (n < this.k) {
      items.push(item);
      hs[n] = hash;
      w[n] = weight;
      this.errors[n] = 0;
      return -1;
    }
    // replace the smallest counter: the newcomer inherits its weight as possible overcount
    let min = 0;
    for (let i = 1; i < n; i++) if ((w[i] as number) < (w[min] as number)) min = i;
    const floor = w[min] as number;
    const evicted = hs[min] as number;
    items[min] = item;
    hs[min] = hash;
    w[min] = floor + weight;
    this.errors[min] = floor;
    return evicted;
  }

  /** Number of items held (≤ k). While nothing was ever evicted, the exact distinct count. */
  get size(): number {
    return this.items.length;
  }

  /** The hashes of the items held. */
  hashList(): readonly number[] {
    return this.hashes;
  }

  /**
   * Folds another summary into this one. Each of its counters is added as a weighted item,
   * carrying its error along, so the usual guarantees hold with the errors summed.
   */
  merge(other: SpaceSaving): void {
    const n = other.items.length;
    for (let i = 0; i < n; i++) {
      const item = other.items[i] as string;
      this.add(item, other.weights[i] as number, other.hashes[i] as number);
      const err = other.errors[i] as number;
      if (err > 0) {
        const j = this.items.indexOf(item);
        if (j >= 0) this.errors[j] = (this.errors[j] as number) + err;
      }
    }
  }

  private list(): Hitter[] {
    return this.items.map((item, i) => ({
      item,
      weight: this.weights[i] as number,
      error: this.errors[i] as number,
    }));
  }

  /** The heaviest `n` items, heaviest first. */
  top(n: number = this.k): Hitter[] {
    return this.list()
      .sort((a, b) => b.weight - a.weight)
      .slice(0, n);
  }

  /** The held items with their weights and errors, in slot order (read-only: for partials). */
  entries(): { items: readonly string[]; weights: readonly number[]; errors: readonly number[] } {
    return { items: this.items, weights: this.weights, errors: this.errors };
  }

  /**
   * A summary holding exactly these entries (at most k are taken), as read back from a
   * partial: `items[i]` with `weights[i]` and `errors[i]`.
   */
  static fromEntries(
    k: number,
    items: readonly string[],
    weights: readonly number[],
    errors: readonly number[],
  ): SpaceSaving {
    const s = new SpaceSaving(k);
    const n = Math.min(k, items.length);
    for (let i = 0; i < n; i++) {
      const item = items[i] as string;
      s.hashes[i] = hash32(item);
      s.weights[i] = weights[i] as number;
      s.errors[i] = errors[i] as number;
      s.items.push(item);
    }
    return s;
  }

  toJSON(): [string, number, number][] {
    return this.list().map((h) => [h.item, h.weight, h.error]);
  }

  static fromJSON(k: number, rows: [string, number, number][]): SpaceSaving {
    const s = new SpaceSaving(k);
    for (const [item, weight, error] of rows.slice(0, k)) {
      s.hashes[s.items.length] = hash32(item);
      s.weights[s.items.length] = weight;
      s.errors[s.items.length] = error;
      s.items.push(item);
    }
    return s;
  }
}
