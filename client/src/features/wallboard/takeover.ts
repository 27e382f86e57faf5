import type { Alert } from '@surgewatch/shared';
import type { AlertMap } from '../../store/alerts.js';

/** How long the full-screen takeover stays up for one new critical alert, ms. */
export const TAKEOVER_HOLD_MS = 30_000;

export interface TakeoverState {
  /** False until the first alert list has been seen: alerts already firing then are not new. */
  primed: boolean;
  /** Ids of the critical alerts firing at the last look. */
  known: ReadonlySet<string>;
  /** The alert taking over the screen, if any. */
  showing: string | null;
  /** Client clock when it started showing, ms epoch. */
  since: number;
}

export const INITIAL_TAKEOVER: TakeoverState = {
  primed: false,
  known: new Set(),
  showing: null,
  since: 0,
};

/** The ids of firing critical alerts. */
export function firingCriticals(alerts: AlertMap): Alert[] {
  return [...alerts.values()].filter((a) => a.severity === 'critical' && a.state === 'firing');
}

/**
 * Decides whether a critical alert takes over the screen. A critical alert that starts firing
 * after the page has seen its first alert list takes over (the newest, if several) until it is
 * acknowledged, stops firing, `holdMs` has passed or it is dismissed. Alerts firing when the
 * page opened, or that started more than `holdMs` ago, are not news: the band and panel show
 * them. Returns `state` itself when nothing changed. `now` is the server's clock, ms epoch.
 */
export function nextTakeover(
  state: TakeoverState,
  alerts: AlertMap,
  now: number,
  holdMs: number = TAKEOVER_HOLD_MS,
): TakeoverState {
  const criticals = firingCriticals(alerts);
  const ids = new Set(criticals.map((a) => a.id));
  if (!state.primed) return { primed: true, known: ids, showing: null, since: 0 };

  // Started long ago (an alert replayed after a server restart) is not news either.
  const fresh = criticals
    .filter((a) => !state.known.has(a.id) && a.ack === null && a.startedAt > now - holdMs)
    .sort((a, b) => b.startedAt - a.startedAt);
  let { showing, since } = state;
  if (fresh[0]) {
    showing = fresh[0].id;
    since = now;
  } else if (showing !== null) {
    const shown = alerts.get(showing);
    if (!shown || shown.state !== 'firing' || shown.ack !== null || now - since >= holdMs) {
      showing = null;
    }
  }
  const knownSame = ids.size === state.known.size && [...ids].every((id) => state.known.has(id));
  if (knownSame && showing === state.showing && since === state.since) return state;
  return { primed: true, known: knownSame ? state.known : ids, showing, since };
}

/** Dismissed by hand (outside kiosk mode): the alert stays in the band and panel. */
export function dismissTakeover(state: TakeoverState): TakeoverState {
  return state.showing === null ? state : { ...state, showing: null };
}

/** Kiosk rotation pauses while any critical alert fires: the room must not lose sight of it. */
export function rotationPaused(alerts: AlertMap): boolean {
  return firingCriticals(alerts).length > 0;
}
