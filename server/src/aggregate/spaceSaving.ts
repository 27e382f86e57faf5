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
 * at most its `error`.
 */
export class SpaceSaving {
  private readonly counts = new Map<string, Hitter>();

  constructor(readonly k: number) {}

  /** Adds `weight` (e.g. bytes) to `item`. */
  add(item: string, weight: number): void {
    const h = this.counts.get(item);
    if (h) {
      h.weight += weight;
      return;
    }
    if (this.counts.size < this.k) {
      this.counts.set(item, { item, weight, error: 0 });
      return;
    }
    // replace the smallest counter: the newcomer inherits its weight as possible overcount
    let min: Hitter | undefined;
    for (const c of this.counts.values()) if (!min || c.weight < min.weight) min = c;
    const m = min as Hitter;
    this.counts.delete(m.item);
    this.counts.set(item, { item, weight: m.weight + weight, error: m.weight });
  }

  /** Folds another summary into this one, keeping the k heaviest. */
  merge(other: SpaceSaving): void {
    for (const o of other.counts.values()) {
      const h = this.counts.get(o.item);
      if (h) {
        h.weight += o.weight;
        h.error += o.error;
      } else {
        this.counts.set(o.item, { ...o });
      }
    }
    if (this.counts.size > this.k) {
      const keep = [...this.counts.values()].sort((a, b) => b.weight - a.weight).slice(0, this.k);
      this.counts.clear();
      for (const h of keep) this.counts.set(h.item, h);
    }
  }

  /** The heaviest `n` items, heaviest first. */
  top(n: number = this.k): Hitter[] {
    return [...this.counts.values()].sort((a, b) => b.weight - a.weight).slice(0, n);
  }

  toJSON(): [string, number, number][] {
    return [...this.counts.values()].map((h) => [h.item, h.weight, h.error]);
  }

  static fromJSON(k: number, rows: [string, number, number][]): SpaceSaving {
    const s = new SpaceSaving(k);
    for (const [item, weight, error] of rows.slice(0, k))
      s.counts.set(item, { item, weight, error });
    return s;
  }
}
