import { describe, expect, it } from 'vitest';
import { kioskFromQuery, nextView, queryWith, viewFromQuery } from './viewSetting.js';

describe('view setting', () => {
  it('reads the view from the URL, defaulting to traffic', () => {
    expect(viewFromQuery('?view=sources')).toBe('sources');
    expect(viewFromQuery('?view=nope')).toBe('traffic');
    expect(viewFromQuery('')).toBe('traffic');
  });

  it('writes one parameter and keeps the others', () => {
    expect(queryWith('?kiosk=1&window=60', 'view', 'targets')).toBe(
      '?kiosk=1&window=60&view=targets',
    );
    expect(queryWith('?view=sources', 'view', 'traffic')).toBe('?view=traffic');
  });

  it('rotates through every view and back', () => {
    expect(nextView('traffic')).toBe('sources');
    expect(nextView('sources')).toBe('targets');
    expect(nextView('targets')).toBe('traffic');
  });
});

describe('kiosk settings', () => {
  it('is off unless asked, rotating every 30 s by default', () => {
    expect(kioskFromQuery('')).toEqual({ kiosk: false, rotateSec: 30 });
    expect(kioskFromQuery('?kiosk=1')).toEqual({ kiosk: true, rotateSec: 30 });
  });

  it('takes a rotation period of at least 5 s, or 0 for none', () => {
    expect(kioskFromQuery('?kiosk=1&rotate=45').rotateSec).toBe(45);
    expect(kioskFromQuery('?kiosk=1&rotate=0').rotateSec).toBe(0);
    expect(kioskFromQuery('?kiosk=1&rotate=2').rotateSec).toBe(30);
    expect(kioskFromQuery('?kiosk=1&rotate=x').rotateSec).toBe(30);
  });
});
