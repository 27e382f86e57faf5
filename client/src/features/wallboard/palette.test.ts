import { describe, expect, it } from 'vitest';
import { OTHER_COLOUR, SERIES_PALETTE, assignColours, colourOf } from './palette.js';

describe('assignColours', () => {
  it('gives newcomers the lowest free slots and skips `other`', () => {
    expect(Object.fromEntries(assignColours(['RU', 'BR', 'other']))).toEqual({ RU: 0, BR: 1 });
  });

  it('keeps the slot a key already had when the ranking changes', () => {
    const first = assignColours(['RU', 'BR', 'US']);
    const next = assignColours(['US', 'CN', 'RU'], first);
    expect(Object.fromEntries(next)).toEqual({ US: 2, RU: 0, CN: 1 });
  });

  it('wraps around when there are more keys than colours', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `K${i}`);
    const slots = assignColours(keys, new Map(), 8);
    expect(slots.size).toBe(10);
    for (const s of slots.values()) expect(s).toBeLessThan(8);
  });
});

describe('colourOf', () => {
  it('maps slots to the palette and `other` or unknown keys to grey', () => {
    const slots = new Map([['RU', 1]]);
    expect(colourOf('RU', slots)).toBe(SERIES_PALETTE[1]);
    expect(colourOf('other', slots)).toBe(OTHER_COLOUR);
    expect(colourOf('XX', slots)).toBe(OTHER_COLOUR);
  });
});
