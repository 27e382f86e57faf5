/**
 * 32-bit hash of a string (FNV-1a, then murmur3's finaliser for avalanche), used to feed
 * HyperLogLog registers and heavy-hitter sketches. Not cryptographic; stable across runs
 * and instances, which sketch merging needs.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
