/** The chart windows a wall screen can show, minutes. */
export const WINDOW_CHOICES = [5, 15, 60] as const;
export type WindowMinutes = (typeof WINDOW_CHOICES)[number];
export const DEFAULT_WINDOW: WindowMinutes = 15;

/**
 * Reads the chart window from a URL query (`?window=60`), so a kiosk browser can be pointed
 * at a fixed view. Anything else falls back to the default.
 */
export function windowFromQuery(search: string): WindowMinutes {
  const raw = Number(new URLSearchParams(search).get('window'));
  return (WINDOW_CHOICES as readonly number[]).includes(raw)
    ? (raw as WindowMinutes)
    : DEFAULT_WINDOW;
}

/** The query string with `window` set, other parameters kept. */
export function queryWithWindow(search: string, minutes: WindowMinutes): string {
  const params = new URLSearchParams(search);
  params.set('window', String(minutes));
  return `?${params.toString()}`;
}
