import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFS, MAX_RENOTIFY_MIN, clampRenotify, parsePrefs } from './prefs.js';

describe('notification prefs', () => {
  it('falls back to defaults for missing or bad values', () => {
    expect(parsePrefs(null)).toEqual(DEFAULT_PREFS);
    expect(parsePrefs('{')).toEqual(DEFAULT_PREFS);
    expect(parsePrefs('{"minSeverity":"loud","sound":"yes","renotifyMin":"x"}')).toEqual(
      DEFAULT_PREFS,
    );
    expect(parsePrefs('{"minSeverity":"critical","sound":true,"renotifyMin":10}')).toEqual({
      minSeverity: 'critical',
      sound: true,
      renotifyMin: 10,
    });
  });

  it('clamps the reminder interval to whole minutes in range', () => {
    expect(clampRenotify('7.6')).toBe(8);
    expect(clampRenotify(-3)).toBe(0);
    expect(clampRenotify(1e9)).toBe(MAX_RENOTIFY_MIN);
  });
});
