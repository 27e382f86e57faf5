let regions: Intl.DisplayNames | null = null;

/**
 * `names` plus an English name for every two-letter country code in `codes` it lacks (from
 * the browser's Intl data): the server only names the countries in its top lists, and an
 * alert can be about one that is not.
 */
export function withCountryNames(
  names: Readonly<Record<string, string>>,
  codes: Iterable<string>,
): Readonly<Record<string, string>> {
  let out: Record<string, string> | null = null;
  for (const code of codes) {
    if (names[code] || out?.[code] || !/^[A-Z]{2}$/.test(code)) continue;
    regions ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    let name: string | undefined;
    try {
      name = regions.of(code);
    } catch {
      name = undefined;
    }
    if (!name) continue;
    out ??= { ...names };
    out[code] = name;
  }
  return out ?? names;
}
