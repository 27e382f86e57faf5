import { describe, expect, it } from 'vitest';
import { withCountryNames } from './countryNames.js';

describe('withCountryNames', () => {
  it('adds missing country names and keeps the server ones', () => {
    const names = { RU: 'Russian Federation' };
    expect(withCountryNames(names, ['RU', 'BR', 'other', 'br'])).toEqual({
      RU: 'Russian Federation',
      BR: 'Brazil',
    });
    expect(withCountryNames(names, ['RU'])).toBe(names);
  });
});
