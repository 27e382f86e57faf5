import { describe, expect, it } from 'vitest';
import { drillFromQuery, drillHref, queryWithDrill } from './drillSetting.js';

describe('drill setting', () => {
  it('reads a country drill-down from the query', () => {
    expect(drillFromQuery('?drill=country:RU')).toEqual({ country: 'RU' });
    expect(drillFromQuery('?view=sources&drill=country%3Anet%3Aoffice')).toEqual({
      country: 'net:office',
    });
  });

  it('ignores what it cannot show', () => {
    expect(drillFromQuery('')).toBeNull();
    expect(drillFromQuery('?drill=asn:AS1')).toBeNull();
    expect(drillFromQuery('?drill=country:')).toBeNull();
    expect(drillFromQuery(`?drill=country:${'x'.repeat(101)}`)).toBeNull();
  });

  it('writes it back, keeping the other settings, and removes it', () => {
    expect(queryWithDrill('?view=sources&window=15', { country: 'BR' })).toBe(
      '?view=sources&window=15&drill=country%3ABR',
    );
    expect(queryWithDrill('?view=sources&drill=country%3ABR', null)).toBe('?view=sources');
    expect(queryWithDrill('?drill=country%3ABR', null)).toBe('');
    expect(drillHref('RU')).toBe('/?drill=country%3ARU');
    expect(drillFromQuery(queryWithDrill('', { country: 'RU' }))).toEqual({ country: 'RU' });
  });
});
