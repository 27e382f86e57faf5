import { OTHER_KEY } from '@surgewatch/shared';

/**
 * Paul Tol's "light" qualitative scheme: distinguishable under the common colour-vision
 * deficiencies and bright enough to read on a dark wall screen. Eight series plus a neutral
 * grey for everything else.
 */
export const SERIES_PALETTE = [
  '#77AADD', // light blue
  '#EE8866', // orange
  '#EEDD88', // light yellow
  '#FFAABB', // pink
  '#99DDFF', // light cyan
  '#44BB99', // mint
  '#BBCC33', // pear
  '#AAAA00', // olive
] as const;

export const OTHER_COLOUR = '#6B7785';

/**
 * Gives each key a palette slot, keeping the slot a key already had so colours do not move
 * when the ranking does; newcomers take the lowest free slot. `other` is not in the palette.
 */
export function assignColours(
  keys: readonly string[],
  previous: ReadonlyMap<string, number> = new Map(),
  paletteSize: number = SERIES_PALETTE.length,
): Map<string, number> {
  const out = new Map<string, number>();
  const used = new Set<number>();
  for (const k of keys) {
    const slot = previous.get(k);
    if (k !== OTHER_KEY && slot !== undefined && slot < paletteSize && !used.has(slot)) {
      out.set(k, slot);
      used.add(slot);
    }
  }
  let free = 0;
  for (const k of keys) {
    if (k === OTHER_KEY || out.has(k)) continue;
    while (used.has(free)) free++;
    // More keys than colours: wrap around rather than fail (the caller caps topN anyway).
    const slot = free < paletteSize ? free : out.size % paletteSize;
    out.set(k, slot);
    used.add(slot);
  }
  return out;
}

/** The colour of a key given its slot (or the neutral `other` grey). */
export function colourOf(key: string, slots: ReadonlyMap<string, number>): string {
  if (key === OTHER_KEY) return OTHER_COLOUR;
  const slot = slots.get(key);
  return slot === undefined
    ? OTHER_COLOUR
    : (SERIES_PALETTE[slot % SERIES_PALETTE.length] ?? OTHER_COLOUR);
}
