import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import { OTHER_KEY } from '@surgewatch/shared';
import { SPECIAL_NAMES } from './special.js';

countries.registerLocale(en);

/** English name of a country code or special label, e.g. "RU" → "Russia". */
export function countryName(key: string): string {
  if (key === OTHER_KEY) return 'Other';
  const special = SPECIAL_NAMES[key];
  if (special) return special;
  return countries.getName(key, 'en', { select: 'alias' }) ?? countries.getName(key, 'en') ?? key;
}
