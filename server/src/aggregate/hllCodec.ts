/**
 * Dense HyperLogLog registers in few bytes, for partials: only the registers that are set,
 * each as the gap from the previous set one and its value above the smallest, both
 * Golomb–Rice coded with the parameters that make this sketch smallest. A register's value
 * is the rank of the first 1-bit of a hash, so values cluster (mostly 1–3 above the least)
 * and, with n items among m registers, gaps average m/n: a sketch of a few hundred sources
 * costs about a byte a set register (against 2 for a varint pair), a full one about
 * 3–4 bits a register (against 6 packed).
 *
 * Layout: count of set registers (2 bytes, little-endian), gap parameter (1 byte), value
 * parameter (1 byte), least value (1 byte), then the codes, most significant bit first.
 */

/** The bits a Rice code with parameter k spends on values counted in `hist` (value → count). */
function riceBits(hist: Uint32Array, top: number, k: number): number {
  let bits = 0;
  for (let x = 0; x <= top; x++) {
    const n = hist[x] as number;
    if (n) bits += n * (1 + k + (x >>> k));
  }
  return bits;
}

function bestK(hist: Uint32Array, top: number, maxK: number): number {
  let best = 0;
  let bestBits = Infinity;
  for (let k = 0; k <= maxK; k++) {
    const bits = riceBits(hist, top, k);
    if (bits < bestBits) {
      bestBits = bits;
      best = k;
    }
  }
  return best;
}

/** Reused between calls: histograms of gaps (≤ 2^16) and of values above the least (≤ 63). */
const gapHist = new Uint32Array(1 << 16);
const valueHist = new Uint32Array(64);

/** The registers (values 1–63, zeros skipped, at most 2^16) coded as above; null when none is set. */
export function encodeRegisters(r: Uint8Array): Uint8Array | null {
  let least = 64;
  for (let i = 0; i < r.length; i++) {
    const v = r[i] as number;
    if (v > 0 && v < least) least = v;
  }
  if (least === 64) return null;
  let count = 0;
  let topGap = 0;
  let topValue = 0;
  let prev = -1;
  for (let i = 0; i < r.length; i++) {
    const v = r[i] as number;
    if (v === 0) continue;
    const g = i - prev - 1;
    gapHist[g] = (gapHist[g] as number) + 1;
    if (g > topGap) topGap = g;
    const x = v - least;
    valueHist[x] = (valueHist[x] as number) + 1;
    if (x > topValue) topValue = x;
    prev = i;
    count++;
  }
  const kg = bestK(gapHist, topGap, 11);
  const kv = bestK(valueHist, topValue, 4);
  const bits = riceBits(gapHist, topGap, kg) + riceBits(valueHist, topValue, kv);
  gapHist.fill(0, 0, topGap + 1);
  valueHist.fill(0, 0, topValue + 1);
  const out = new Uint8Array(5 + Math.ceil(bits / 8));
  out[0] = count & 255;
  out[1] = count >> 8;
  out[2] = kg;
  out[3] = kv;
  out[4] = least;
  // bits gather in `acc` (most significant first) and leave a byte at a time; written out
  // inline (no closures): a full sketch is 4,096 codes
  let at = 5;
  let acc = 0;
  let held = 0;
  const gapMask = (1 << kg) - 1;
  const valueMask = (1 << kv) - 1;
  prev = -1;
  for (let i = 0; i < r.length; i++) {
    const v = r[i] as number;
    if (v === 0) continue;
    for (let pass = 0; pass < 2; pass++) {
      const x = pass === 0 ? i - prev - 1 : v - least;
      const k = pass === 0 ? kg : kv;
      let q = x >>> k;
      // the quotient in unary (1s, then a 0), then the k low bits
      while (q >= 16) {
        acc = (acc << 16) | 0xffff;
        held += 16;
        q -= 16;
        while (held >= 8) out[at++] = (acc >>> (held -= 8)) & 255;
        acc &= (1 << held) - 1;
      }
      acc =
        (acc << (q + 1 + k)) |
        (((1 << q) - 1) << (1 + k)) |
        (x & (pass === 0 ? gapMask : valueMask));
      held += q + 1 + k;
      while (held >= 8) out[at++] = (acc >>> (held -= 8)) & 255;
      acc &= (1 << held) - 1;
    }
    prev = i;
  }
  if (held > 0) out[at++] = (acc << (8 - held)) & 255;
  return out;
}

/**
 * Reads `encodeRegisters` output (starting at `from` in `b`) into `m` registers, none above
 * `max`. Throws on anything malformed.
 */
export function decodeRegisters(b: Uint8Array, from: number, m: number, max: number): Uint8Array {
  if (b.length < from + 5) throw new Error('sketch: truncated registers');
  const count = (b[from] as number) | ((b[from + 1] as number) << 8);
  const kg = b[from + 2] as number;
  const kv = b[from + 3] as number;
  const least = b[from + 4] as number;
  if (count > m || kg > 11 || kv > 4 || least < 1 || least > max)
    throw new Error('sketch: bad register header');
  const r = new Uint8Array(m);
  const end = b.length * 8;
  let at = (from + 5) * 8;
  let i = -1;
  for (let n = 0; n < count; n++) {
    let gap = 0;
    let value = 0;
    for (let pass = 0; pass < 2; pass++) {
      const k = pass === 0 ? kg : kv;
      let q = 0;
      for (;;) {
        if (at >= end) throw new Error('sketch: truncated registers');
        if ((((b[at >> 3] as number) >> (7 - (at & 7))) & 1) === 0) break;
        at++;
        if (++q > m) throw new Error('sketch: bad register code');
      }
      at++;
      if (at + k > end) throw new Error('sketch: truncated registers');
      let x = q;
      for (let j = 0; j < k; j++, at++)
        x = x * 2 + (((b[at >> 3] as number) >> (7 - (at & 7))) & 1);
      if (pass === 0) gap = x;
      else value = x;
    }
    i += gap + 1;
    const v = least + value;
    if (i >= m || v > max) throw new Error('sketch: bad register');
    r[i] = v;
  }
  if (end - at >= 8) throw new Error('sketch: trailing bytes');
  return r;
}
