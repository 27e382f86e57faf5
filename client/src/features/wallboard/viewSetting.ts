/**
 * The wall screen's views (the URL's `view=`): what the main area groups the traffic by.
 * `traffic` — over time by source country; `sources` — where from (map, networks);
 * `targets` — what is hit and how (destinations, vectors, mix, alerts).
 */
export const VIEWS = ['traffic', 'sources', 'targets'] as const;
export type View = (typeof VIEWS)[number];
export const DEFAULT_VIEW: View = 'traffic';

export const VIEW_TITLES: Record<View, string> = {
  traffic: 'Traffic by source country',
  sources: 'Where it comes from',
  targets: 'What is hit, and how',
};

export const VIEW_LABELS: Record<View, string> = {
  traffic: 'Traffic',
  sources: 'Sources',
  targets: 'Targets',
};

/** The view named by `?view=`, or the default. */
export function viewFromQuery(search: string): View {
  const raw = new URLSearchParams(search).get('view');
  return (VIEWS as readonly string[]).includes(raw ?? '') ? (raw as View) : DEFAULT_VIEW;
}

/** The query string with `name` set to `value`, other parameters kept. */
export function queryWith(search: string, name: string, value: string): string {
  const params = new URLSearchParams(search);
  params.set(name, value);
  return `?${params.toString()}`;
}

/** Kiosk settings from the query: `kiosk=1`, `rotate=<seconds>` (0 = never; default 30). */
export interface KioskSettings {
  kiosk: boolean;
  /** Seconds each view stays before the next; 0 = no rotation. */
  rotateSec: number;
}

export const DEFAULT_ROTATE_SEC = 30;

export function kioskFromQuery(search: string): KioskSettings {
  const params = new URLSearchParams(search);
  const kiosk = ['1', 'true', 'yes'].includes(params.get('kiosk') ?? '');
  const raw = params.get('rotate');
  const n = raw === null ? DEFAULT_ROTATE_SEC : Number(raw);
  const rotateSec = Number.isFinite(n) && n >= 5 ? Math.round(n) : n === 0 ? 0 : DEFAULT_ROTATE_SEC;
  return { kiosk, rotateSec };
}

/** The view after `view` in rotation order. */
export function nextView(view: View): View {
  return VIEWS[(VIEWS.indexOf(view) + 1) % VIEWS.length]!;
}
