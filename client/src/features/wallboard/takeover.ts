import type { Alert } from '@surgewatch/shared';
import type { VectorShare } from '../../format/episode.js';
import { topVectors, waveLabel } from '../../format/episode.js';
import { firedAt } from '../../notify/notifyPolicy.js';
import type { AlertMap } from '../../store/alerts.js';
import { descriptionDetail, formatSubject } from './alertRows.js';

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
 * after the page has seen its first alert list takes over until it is
 * acknowledged, stops firing, `holdMs` has passed or it is dismissed. Alerts firing when the
 * page opened, or that began firing more than `holdMs` ago, are not news: the band and panel
 * show them. Of several, an alert on a target (a destination) wins over one on the total, a
 * country or a network, then the newest; a new one on the total does not replace a target on
 * screen. A second wave is a new alert (its own id and start), so it takes over again.
 * Returns `state` itself when nothing changed. `now` is the server's clock, ms epoch.
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

  // Began firing long ago (an alert replayed after a server restart) is not news either. The
  // firing time, not the start: a rule that must hold for a minute starts pending a minute early.
  const fresh = criticals
    .filter((a) => !state.known.has(a.id) && a.ack === null && firedAt(a) > now - holdMs)
    .sort((a, b) => Number(isTarget(b)) - Number(isTarget(a)) || b.startedAt - a.startedAt);
  let { showing, since } = state;
  const shown = showing === null ? undefined : alerts.get(showing);
  const holds =
    shown !== undefined && shown.state === 'firing' && shown.ack === null && now - since < holdMs;
  const best = fresh[0];
  // a wave fires many criticals within seconds: what is hit says more than the total does
  if (best && (!holds || isTarget(best) || !isTarget(shown))) {
    showing = best.id;
    since = now;
  } else if (!holds) {
    showing = null;
  }
  const knownSame = ids.size === state.known.size && [...ids].every((id) => state.known.has(id));
  if (knownSame && showing === state.showing && since === state.since) return state;
  return { primed: true, known: knownSame ? state.known : ids, showing, since };
}

function isTarget(a: Alert | undefined): boolean {
  return a?.subject.destination !== undefined;
}

/** Dismissed by hand (outside kiosk mode): the alert stays in the band and panel. */
export function dismissTakeover(state: TakeoverState): TakeoverState {
  return state.showing === null ? state : { ...state, showing: null };
}

/** Kiosk rotation pauses while any critical alert fires: the room must not lose sight of it. */
export function rotationPaused(alerts: AlertMap): boolean {
  return firingCriticals(alerts).length > 0;
}

/** What the takeover says about its alert. */
export interface TakeoverView {
  /** "Target 203.0.113.10", "RU Russia", "all traffic". */
  subject: string;
  /** "Second wave, 9 min after the first", or null for a first wave. */
  wave: string | null;
  /**
   * The description without the subject it starts with ("destination 203.0.113.10: a packet
   * flood …" → "A packet flood …"): the subject is already the headline.
   */
  detail: string;
  /** The heaviest three vectors with their shares (none known: empty). */
  vectors: VectorShare[];
}

/** The takeover's words for `alert`: what is hit, which wave, by what. */
export function takeoverView(alert: Alert, names: Readonly<Record<string, string>>): TakeoverView {
  const subject = formatSubject(alert.subject, names);
  const wave = waveLabel(alert);
  return {
    subject:
      Object.keys(alert.subject).length === 1 && alert.subject.destination
        ? `Target ${subject}`
        : subject,
    wave: wave && capitalise(wave),
    detail: capitalise(descriptionDetail(alert.description)),
    vectors: topVectors(alert, 3).filter((v) => v.share >= 0.005),
  };
}

function capitalise(text: string): string {
  return text.slice(0, 1).toUpperCase() + text.slice(1);
}
