import { decodeRegisters, encodeRegisters } from './hllCodec.js';

/** Register-index bits: 2^11 = 2048 one-byte registers (~2 KiB), standard error ≈ 1.04/√2048 ≈ 2.3 %. */
export const HLL_P = 11;
const M = 1 << HLL_P;
const ALPHA = 0.7213 / (1 + 1.079 / M);
/** Up to this many distinct hashes are kept as a plain list: exact, and 4 bytes each. */
export const SPARSE_MAX = 32;
/** The largest register value: the rank of a hash whose remaining bits are all zero. */
const MAX_RANK = 32 - HLL_P + 1;
/** `toBytes` kinds: the exact hash list, the registers (hllCodec.ts), the list less some. */
const HLL_HASHES = 0;
const HLL_REGISTERS = 1;
const HLL_HASHES_LESS_KNOWN = 2;

/** Whether `toBytes` output is registers (the same bytes are the same sketch, whatever key). */
export function isRegisterBytes(b: Uint8Array): boolean {
  return b[0] === HLL_REGISTERS;
}

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
   * The compact form for binary partials (see partialBinary.ts): while sparse the exact hash
   * list (kind 0, 4 bytes a hash) — less the `known` hashes when it holds them all (kind 2: a
   * key's top sources, which the reader has anyway); once dense the set registers,
   * Rice-coded (kind 1, hllCodec.ts: about a byte a set register, at most ~1 KiB). Reads back
   * to the same sketch (`fromBytes`, given the same `known`).
   */
  toBytes(known?: readonly number[]): Uint8Array {
    const s = this.sparse;
    if (s !== null) {
      // hashes the reader knows already (a key's top sources) need not travel (kind 2)
      const rest =
        known?.length && known.every((h) => s.includes(h))
          ? s.filter((h) => !known.includes(h))
          : null;
      const list = rest ?? s;
      const out = new Uint8Array(1 + 4 * list.length);
      const view = new DataView(out.buffer);
      out[0] = rest ? HLL_HASHES_LESS_KNOWN : HLL_HASHES;
      for (let i = 0; i < list.length; i++) view.setUint32(1 + 4 * i, list[i] as number, true);
      return out;
    }
    const coded = encodeRegisters(this.registers as Uint8Array);
    if (!coded) return new Uint8Array([HLL_HASHES]); // no register set: as empty as no hash
    const out = new Uint8Array(1 + coded.length);
    out[0] = HLL_REGISTERS;
    out.set(coded, 1);
    return out;
  }

  /** Rebuilds a sketch from `toBytes()` output; throws on anything malformed. */
  static fromBytes(b: Uint8Array, known: readonly number[] = []): HyperLogLog {
    const kind = b[0];
    if (kind === HLL_HASHES || kind === HLL_HASHES_LESS_KNOWN) {
      if ((b.length - 1) % 4 !== 0 || b.length - 1 > 4 * SPARSE_MAX)
        throw new Error('sketch: bad hash list');
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const h = new HyperLogLog();
      if (kind === HLL_HASHES_LESS_KNOWN) for (const x of known) h.add(x);
      for (let at = 1; at < b.length; at += 4) h.add(view.getUint32(at, true));
      return h;
    }
    if (kind === HLL_REGISTERS) return new HyperLogLog(decodeRegisters(b, 1, M, MAX_RANK));
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
