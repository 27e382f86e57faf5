import protobuf from 'protobufjs';

/**
 * The low-level pieces of the binary partial (partial.ts): a protobuf container written and
 * read with protobufjs's Writer and Reader, columns as packed repeated fields, strings
 * interned once per partial, and IPv4 addresses as 4 bytes. protobufjs hands 64-bit varints
 * back as Long objects, so numbers past 32 bits (counters, ms epochs, 53-bit hashes) are read
 * here as exact doubles instead.
 */

export type Writer = protobuf.Writer;
export type Reader = protobuf.Reader;

export const WIRE_VARINT = 0;
export const WIRE_BYTES = 2;

export function newWriter(): Writer {
  return protobuf.Writer.create();
}

export function newReader(b: Uint8Array): Reader {
  return protobuf.Reader.create(b);
}

/** Writes a non-negative integer below 2^53 as a varint. */
export function writeU53(w: Writer, n: number): void {
  if (n < 4294967296) w.uint32(n);
  else w.uint64(n);
}

/** Reads a varint of up to 53 bits as a number; throws past that. */
export function readU53(r: Reader): number {
  const buf = r.buf;
  let pos = r.pos;
  let n = 0;
  let scale = 1;
  for (;;) {
    if (pos >= r.len) throw new RangeError('truncated varint');
    const c = buf[pos++] as number;
    n += (c & 127) * scale;
    if (c < 128) break;
    scale *= 128;
    if (scale > 2 ** 49) throw new RangeError('varint beyond 53 bits');
  }
  r.pos = pos;
  return n;
}

/** Whether every value is an integer the varint columns carry exactly (0 ≤ x < 2^53). */
function allU53(xs: readonly number[] | Float64Array): boolean {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (!(x >= 0 && x <= Number.MAX_SAFE_INTEGER && Math.floor(x) === x)) return false;
  }
  return true;
}

/**
 * A column of numbers: packed varints under `field` when all are integers in range (counters
 * and weights nearly always are), else packed doubles under `field + 1`. Empty: nothing.
 */
export function writeNums(w: Writer, field: number, xs: readonly number[] | Float64Array): void {
  if (xs.length === 0) return;
  if (allU53(xs)) {
    w.uint32((field << 3) | WIRE_BYTES).fork();
    for (let i = 0; i < xs.length; i++) writeU53(w, xs[i] as number);
  } else {
    w.uint32(((field + 1) << 3) | WIRE_BYTES).fork();
    for (let i = 0; i < xs.length; i++) w.double(xs[i] as number);
  }
  w.ldelim();
}

/** Reads the column `writeNums` wrote; `real` tells which of its two fields it is. */
export function readNums(r: Reader, real: boolean, out: number[]): void {
  const end = r.uint32() + r.pos;
  if (end > r.len) throw new RangeError('column past the end');
  while (r.pos < end) out.push(real ? r.double() : readU53(r));
  if (r.pos !== end) throw new RangeError('column overran');
}

/** A packed column of small non-negative integers (refs, ports, counts). */
export function writeU32s(w: Writer, field: number, xs: readonly number[]): void {
  if (xs.length === 0) return;
  w.uint32((field << 3) | WIRE_BYTES).fork();
  for (const x of xs) w.uint32(x);
  w.ldelim();
}

export function readU32s(r: Reader, out: number[]): void {
  const end = r.uint32() + r.pos;
  if (end > r.len) throw new RangeError('column past the end');
  while (r.pos < end) out.push(r.uint32());
  if (r.pos !== end) throw new RangeError('column overran');
}

/** One string per distinct value, numbered in order of first use. */
export class StringTable {
  private readonly index = new Map<string, number>();
  readonly list: string[] = [];

  ref(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** The string numbered `i` of a partial's table; throws on a bad reference. */
export function stringAt(table: readonly string[], i: number): string {
  const s = table[i];
  if (s === undefined) throw new RangeError(`string ${i} not in the table`);
  return s;
}

/** The 32-bit value of a canonical dotted-quad IPv4 address, or -1 (so it round-trips). */
export function ipv4Of(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let v = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || part > 255) return -1;
      v = v * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      // no leading zeros: "01" would not come back the same
      if (digits === 1 && part === 0) return -1;
      part = part * 10 + (c - 48);
      digits++;
      if (digits > 3) return -1;
    } else return -1;
  }
  return parts === 4 ? v : -1;
}

export function ipv4Text(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/**
 * A column of addresses (or any strings): IPv4 addresses as packed fixed32 under `field`,
 * the others as string refs under `field + 1`, and, when there are both, a bitmap under
 * `field + 2` (bit i set: the i-th is a string ref).
 */
export function writeAddrs(
  w: Writer,
  field: number,
  addrs: readonly string[],
  strings: StringTable,
): void {
  if (addrs.length === 0) return;
  const v4: number[] = [];
  const refs: number[] = [];
  let bits: Uint8Array | null = null;
  for (let i = 0; i < addrs.length; i++) {
    const a = addrs[i] as string;
    const v = ipv4Of(a);
    if (v >= 0) v4.push(v);
    else {
      refs.push(strings.ref(a));
      bits ??= new Uint8Array((addrs.length + 7) >> 3);
      bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
    }
  }
  if (v4.length) {
    w.uint32((field << 3) | WIRE_BYTES).fork();
    for (const v of v4) w.fixed32(v);
    w.ldelim();
  }
  writeU32s(w, field + 1, refs);
  if (bits && v4.length) w.uint32(((field + 2) << 3) | WIRE_BYTES).bytes(bits);
}

/** The parts of an address column as read; `addrsOf` puts them together. */
export interface AddrColumns {
  v4: number[];
  refs: number[];
  bits: Uint8Array | null;
}

export const emptyAddrs = (): AddrColumns => ({ v4: [], refs: [], bits: null });

/** Reads one of the three fields of an address column (`at`: 0, 1 or 2 past its first). */
export function readAddrField(r: Reader, at: number, into: AddrColumns): void {
  if (at === 0) {
    const end = r.uint32() + r.pos;
    if (end > r.len || (end - r.pos) % 4 !== 0) throw new RangeError('bad address column');
    while (r.pos < end) into.v4.push(r.fixed32());
  } else if (at === 1) readU32s(r, into.refs);
  else into.bits = r.bytes();
}

/** The `n` addresses of a column, in order. */
export function addrsOf(c: AddrColumns, n: number, table: readonly string[]): string[] {
  if (c.v4.length + c.refs.length !== n) throw new RangeError('address column of the wrong length');
  const out = new Array<string>(n);
  if (c.refs.length === 0) {
    for (let i = 0; i < n; i++) out[i] = ipv4Text(c.v4[i] as number);
    return out;
  }
  if (c.v4.length === 0) {
    for (let i = 0; i < n; i++) out[i] = stringAt(table, c.refs[i] as number);
    return out;
  }
  const bits = c.bits;
  if (!bits || bits.length < (n + 7) >> 3) throw new RangeError('address column without its map');
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    out[i] =
      ((bits[i >> 3] as number) >> (i & 7)) & 1
        ? stringAt(table, c.refs[b++] as number)
        : ipv4Text(c.v4[a++] as number);
  }
  if (a !== c.v4.length || b !== c.refs.length) throw new RangeError('address map does not match');
  return out;
}
