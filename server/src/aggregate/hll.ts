/** Register-index bits: 2^11 = 2048 one-byte registers (~2 KiB), standard error ≈ 1.04/√2048 ≈ 2.3 %. */
export const HLL_P = 11;
const M = 1 << HLL_P;
const ALPHA = 0.7213 / (1 + 1.079 / M);
/** Up to this many distinct hashes are kept as a plain list: exact, and 4 bytes each. */
export const SPARSE_MAX = 32;

/**
 * HyperLogLog distinct counter over 32-bit hashes. Starts sparse (a short list of hashes,
 * exact) so that the thousands of keys that see one or two sources cost almost nothing, and
 * turns dense (2 KiB of registers) past SPARSE_MAX. Mergeable across seconds and instances.
 */
export class HyperLogLog {
  /** Dense registers, or null while sparse. */
  registers: Uint8Array | null;
  /** Distinct hashes while sparse. */
  private sparse: number[] | null;

  constructor(registers?: Uint8Array) {
    this.registers = registers ?? null;
    this.sparse = registers ? null : [];
  }

  /** Adds one item by its 32-bit hash. */
  add(hash: number): void {
    const s = this.sparse;
    if (s !== null) {
      if (s.includes(hash)) return;
      s.push(hash);
      if (s.length > SPARSE_MAX) this.densify();
      return;
    }
    addToRegisters(this.registers as Uint8Array, hash);
  }

  private densify(): void {
    const r = new Uint8Array(M);
    for (const h of this.sparse as number[]) addToRegisters(r, h);
    this.registers = r;
    this.sparse = null;
  }

  /** Folds another sketch into this one (register-wise max; list union while both sparse). */
  merge(other: HyperLogLog): void {
    if (other.sparse !== null) {
      for (const h of other.sparse) this.add(h);
      return;
    }
    if (this.sparse !== null) this.densify();
    const a = this.registers as Uint8Array;
    const b = other.registers as Uint8Array;
    for (let i = 0; i < M; i++) if ((b[i] as number) > (a[i] as number)) a[i] = b[i] as number;
  }

  /** Estimated number of distinct items added (exact while sparse). */
  estimate(): number {
    if (this.sparse !== null) return this.sparse.length;
    const r = this.registers as Uint8Array;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const v = r[i] as number;
      sum += 1 / (1 << v);
      if (v === 0) zeros++;
    }
    const raw = (ALPHA * M * M) / sum;
    // small-range correction: linear counting while many registers are still empty
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    // large-range correction for the 32-bit hash space
    const two32 = 2 ** 32;
    if (raw > two32 / 30) return Math.round(-two32 * Math.log(1 - raw / two32));
    return Math.round(raw);
  }

  /** A plain form for partials: the hash list while sparse, else the registers. */
  toJSON(): { s: number[] } | { r: string } {
    if (this.sparse !== null) return { s: this.sparse.slice() };
    return { r: Buffer.from(this.registers as Uint8Array).toString('base64') };
  }

  /** Rebuilds a sketch from `toJSON()` output. */
  static fromJSON(v: { s: number[] } | { r: string }): HyperLogLog {
    if ('r' in v) return new HyperLogLog(new Uint8Array(Buffer.from(v.r, 'base64')));
    const h = new HyperLogLog();
    for (const x of v.s) h.add(x >>> 0);
    return h;
  }
}

function addToRegisters(r: Uint8Array, hash: number): void {
  const idx = hash >>> (32 - HLL_P);
  const rest = (hash << HLL_P) >>> 0;
  // rank = position of the first 1-bit in the remaining 21 bits (1-based), 22 when all zero
  const rank = rest === 0 ? 32 - HLL_P + 1 : Math.clz32(rest) + 1;
  if (rank > (r[idx] as number)) r[idx] = rank;
}
