import type { Counters } from './counters.js';

/**
 * The counters of one pair dimension (country × ASN, …) in one open second: three numbers a
 * key in one growable Float64Array, found through a Map from key to slot. Pairs keep no
 * sources, so they need no object per key: a spoofed flood makes tens of thousands of pairs
 * a second, and an object (with its boxed numbers) for each was most of an open second's
 * garbage.
 */
export class PairTable {
  private readonly slots = new Map<string, number>();
  /** bytes, packets, flows per slot, interleaved. */
  private num = new Float64Array(3 * 16);

  get size(): number {
    return this.slots.size;
  }

  /** Adds counters to `key` (a new key gets the next slot). */
  add(key: string, bytes: number, packets: number, flows: number): void {
    let i = this.slots.get(key);
    if (i === undefined) {
      i = this.slots.size;
      if ((i + 1) * 3 > this.num.length) {
        const grown = new Float64Array(this.num.length * 2);
        grown.set(this.num);
        this.num = grown;
      }
      this.slots.set(key, i);
    }
    const o = i * 3;
    const num = this.num;
    num[o] = (num[o] as number) + bytes;
    num[o + 1] = (num[o + 1] as number) + packets;
    num[o + 2] = (num[o + 2] as number) + flows;
  }

  /** The counters of `key` (a fresh object), or null when the second has not seen it. */
  get(key: string): Counters | null {
    const i = this.slots.get(key);
    return i === undefined ? null : this.at(i);
  }

  /** Visits every key with its counters (a fresh object each). */
  forEach(fn: (key: string, c: Counters) => void): void {
    for (const [key, i] of this.slots) fn(key, this.at(i));
  }

  /** The keys in slot order and their counters (bytes, packets, flows per slot), read-only. */
  raw(): { keys: string[]; num: Float64Array } {
    return { keys: [...this.slots.keys()], num: this.num };
  }

  /** Folds another table in. */
  merge(other: PairTable): void {
    other.forEach((key, c) => this.add(key, c.bytes, c.packets, c.flows));
  }

  private at(i: number): Counters {
    const o = i * 3;
    return {
      bytes: this.num[o] as number,
      packets: this.num[o + 1] as number,
      flows: this.num[o + 2] as number,
    };
  }
}
