import { describe, expect, it } from 'vitest';
import { queryWithWindow, windowFromQuery } from './windowSetting.js';

describe('window setting', () => {
  it('reads a valid window from the query and defaults otherwise', () => {
    expect(windowFromQuery('?window=60')).toBe(60);
    expect(windowFromQuery('?window=5&kiosk=1')).toBe(5);
    expect(windowFromQuery('?window=7')).toBe(15);
    expect(windowFromQuery('')).toBe(15);
  });

  it('writes the window and keeps other parameters', () => {
    expect(queryWithWindow('?kiosk=1', 60)).toBe('?kiosk=1&window=60');
    expect(queryWithWindow('?window=5', 15)).toBe('?window=15');
  });
});
