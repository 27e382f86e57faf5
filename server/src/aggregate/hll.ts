/** Register-index bits: 2^11 = 2048 one-byte registers (~2 KiB), standard error ≈ 1.04/√2048 ≈ 2.3 %. */
export const HLL_P = 11;
const M = 1 << HLL_P;
const ALPHA = 0.7213 / (1 + 1.079 / M);
/** Up to this many distinct hashes are kept as a plain list: exact, and 4 bytes each. */
export const SPARSE_MAX = 32;
/** The largest register value: the rank of a hash whose remaining bits are all zero. */
const MAX_RANK = 32 - HLL_P + 1;
/** `toBytes` kinds: the exact hash list, the set registers only, all registers in 6 bits. */
const HLL_HASHES = 0;
const HLL_SET = 1;
const HLL_PACKED = 2;
const DENSE_BYTES = 1 + (M * 6) / 8;

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

  /**
   * The compact form for binary partials (see partialWire.ts), by what is smallest: while
   * sparse the exact hash list (kind 0, 4 bytes a hash); else only the registers that are set
   * (kind 1, one varint of index gap × 32 + value each: 1–2 bytes); else every register
   * packed in 6 bits (kind 2, 1,536 bytes). Reads back to the same sketch (`fromBytes`).
   */
  toBytes(): Uint8Array {
    const s = this.sparse;
    if (s !== null) {
      const out = new Uint8Array(1 + 4 * s.length);
      const view = new DataView(out.buffer);
      out[0] = HLL_HASHES;
      for (let i = 0; i < s.length; i++) view.setUint32(1 + 4 * i, s[i] as number, true);
      return out;
    }
    const r = this.registers as Uint8Array;
    let set = 0;
    let sparseBytes = 1;
    let prev = -1;
    for (let i = 0; i < M; i++) {
      const v = r[i] as number;
      if (v === 0) continue;
      set++;
      sparseBytes += (i - prev) * 32 + v < 128 ? 1 : (i - prev) * 32 + v < 16384 ? 2 : 3;
      prev = i;
    }
    if (sparseBytes < DENSE_BYTES) {
      const out = new Uint8Array(sparseBytes);
      out[0] = HLL_SET;
      let at = 1;
      prev = -1;
      for (let i = 0; i < M && set > 0; i++) {
        const v = r[i] as number;
        if (v === 0) continue;
        let x = (i - prev) * 32 + v;
        prev = i;
        while (x >= 128) {
          out[at++] = (x & 127) | 128;
          x >>>= 7;
        }
        out[at++] = x;
      }
      return out;
    }
    const out = new Uint8Array(DENSE_BYTES);
    out[0] = HLL_PACKED;
    // four 6-bit registers in three bytes
    for (let i = 0, at = 1; i < M; i += 4, at += 3) {
      const x =
        (r[i] as number) |
        ((r[i + 1] as number) << 6) |
        ((r[i + 2] as number) << 12) |
        ((r[i + 3] as number) << 18);
      out[at] = x & 255;
      out[at + 1] = (x >>> 8) & 255;
      out[at + 2] = x >>> 16;
    }
    return out;
  }

  /** Rebuilds a sketch from `toBytes()` output; throws on anything malformed. */
  static fromBytes(b: Uint8Array): HyperLogLog {
    const kind = b[0];
    if (kind === HLL_HASHES) {
      if ((b.length - 1) % 4 !== 0 || b.length - 1 > 4 * SPARSE_MAX)
        throw new Error('sketch: bad hash list');
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const h = new HyperLogLog();
      for (let at = 1; at < b.length; at += 4) h.add(view.getUint32(at, true));
      return h;
    }
    const r = new Uint8Array(M);
    if (kind === HLL_SET) {
      let i = -1;
      for (let at = 1; at < b.length;) {
        let x = 0;
        let shift = 0;
        let c: number;
        do {
          if (at >= b.length || shift > 14) throw new Error('sketch: bad register list');
          c = b[at++] as number;
          x += (c & 127) * 2 ** shift;
          shift += 7;
        } while (c >= 128);
        i += Math.floor(x / 32);
        const v = x & 31;
        if (i >= M || v === 0 || v > MAX_RANK) throw new Error('sketch: bad register');
        r[i] = v;
      }
      return new HyperLogLog(r);
    }
    if (kind === HLL_PACKED && b.length === DENSE_BYTES) {
      for (let i = 0, at = 1; i < M; i += 4, at += 3) {
        const x = (b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16);
        r[i] = x & 63;
        r[i + 1] = (x >>> 6) & 63;
        r[i + 2] = (x >>> 12) & 63;
        r[i + 3] = x >>> 18;
      }
      for (let i = 0; i < M; i++)
        if ((r[i] as number) > MAX_RANK) throw new Error('sketch: bad register');
      return new HyperLogLog(r);
    }
    throw new Error(`sketch: unknown kind ${kind}`);
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
