/**
 * The drill-down the URL names (`?drill=country:RU`): one source country, broken down. Held in
 * the URL so a link (from the on-call view, a chat message) opens the same drill-down.
 */
export interface Drill {
  country: string;
}

const PREFIX = 'country:';

/** The drill-down named by `?drill=`, or null for none (or one this page cannot show). */
export function drillFromQuery(search: string): Drill | null {
  const raw = new URLSearchParams(search).get('drill');
  if (!raw?.startsWith(PREFIX)) return null;
  const country = raw.slice(PREFIX.length).trim();
  if (country.length === 0 || country.length > 100) return null;
  return { country };
}

/** The query string with the drill-down set (or removed for null), other parameters kept. */
export function queryWithDrill(search: string, drill: Drill | null): string {
  const params = new URLSearchParams(search);
  if (drill) params.set('drill', PREFIX + drill.country);
  else params.delete('drill');
  const q = params.toString();
  return q ? `?${q}` : '';
}

/** The link that opens a country's drill-down on the wallboard. */
export function drillHref(country: string): string {
  return `/${queryWithDrill('', { country })}`;
}
