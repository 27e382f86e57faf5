/** Register-index bits: 2^11 = 2048 one-byte registers (~2 KiB), standard error ≈ 1.04/√2048 ≈ 2.3 %. */
export const HLL_P = 11;
const M = 1 << HLL_P;
const ALPHA = 0.7213 / (1 + 1.079 / M);

/**
 * HyperLogLog distinct counter over 32-bit hashes: fixed memory whatever the number of
 * distinct sources, mergeable across seconds and instances (register-wise max).
 */
export class HyperLogLog {
  readonly registers: Uint8Array;

  constructor(registers?: Uint8Array) {
    this.registers = registers ?? new Uint8Array(M);
  }

  /** Adds one item by its 32-bit hash. */
  add(hash: number): void {
    const idx = hash >>> (32 - HLL_P);
    const rest = (hash << HLL_P) >>> 0;
    // rank = position of the first 1-bit in the remaining 21 bits (1-based), 22 when all zero
    const rank = rest === 0 ? 32 - HLL_P + 1 : Math.clz32(rest) + 1;
    if (rank > (this.registers[idx] as number)) this.registers[idx] = rank;
  }

  /** Folds another sketch into this one. */
  merge(other: HyperLogLog): void {
    const a = this.registers;
    const b = other.registers;
    for (let i = 0; i < M; i++) if ((b[i] as number) > (a[i] as number)) a[i] = b[i] as number;
  }

  /** Estimated number of distinct items added. */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    const r = this.registers;
    for (let i = 0; i < M; i++) {
      const v = r[i] as number;
      sum += 2 ** -v;
      if (v === 0) zeros++;
    }
    if (zeros === M) return 0;
    const raw = (ALPHA * M * M) / sum;
    // small-range correction: linear counting while many registers are still empty
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    // large-range correction for the 32-bit hash space
    const two32 = 2 ** 32;
    if (raw > two32 / 30) return Math.round(-two32 * Math.log(1 - raw / two32));
    return Math.round(raw);
  }
}
