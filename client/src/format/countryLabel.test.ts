import { describe, expect, it } from 'vitest';
import { countryCode, countryName } from './countryLabel.js';

describe('country labels', () => {
  const names = { RU: 'Russia', BR: 'Brazil' };

  it('uses the server names and falls back to the code', () => {
    expect(countryName('RU', names)).toBe('Russia');
    expect(countryName('ZZ', names)).toBe('ZZ');
    expect(countryCode('ru')).toBe('RU');
  });

  it('words the special keys', () => {
    expect(countryName('other', names)).toBe('All other countries');
    expect(countryName('unknown', names)).toBe('Unknown origin');
    expect(countryName('unknown', { unknown: 'Unplaceable' })).toBe('Unplaceable');
    expect(countryCode('other')).toBe('—');
    expect(countryCode('unknown')).toBe('??');
  });
});
