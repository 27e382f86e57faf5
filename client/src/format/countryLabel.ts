import { OTHER_KEY, UNKNOWN_KEY } from '@surgewatch/shared';

/**
 * The English name of a country key, from the server's `names` when it sent one. The two
 * special keys get fixed wording; an unnamed code is shown as itself.
 */
export function countryName(key: string, names: Readonly<Record<string, string>>): string {
  if (key === OTHER_KEY) return 'All other countries';
  if (key === UNKNOWN_KEY) return names[key] ?? 'Unknown origin';
  return names[key] ?? key;
}

/** The short code shown beside the name: "RU"; "—" for `other`, "??" for `unknown`. */
export function countryCode(key: string): string {
  if (key === OTHER_KEY) return '—';
  if (key === UNKNOWN_KEY) return '??';
  return key.toUpperCase();
}
