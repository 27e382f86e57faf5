import type { Alert } from '@surgewatch/shared';
import { formatMetric, formatSubject } from '../features/wallboard/alertRows.js';
import { topVectors, vectorsText, waveLabel, waveName } from '../format/episode.js';
import { withCountryNames } from './countryNames.js';

/** The path of the on-call view, and of one alert in it. */
export const ONCALL_PATH = '/oncall';
export function alertUrl(id: string): string {
  return `${ONCALL_PATH}#alert=${encodeURIComponent(id)}`;
}

/** What the service worker gets back when a notification is clicked. */
export interface NotificationData {
  alertId: string;
  url: string;
}

export interface NotificationContent {
  title: string;
  options: {
    body: string;
    /** The alert id: a later notification of the same alert replaces this one. */
    tag: string;
    /** Alert again (sound, vibration) when replacing a notification with the same tag. */
    renotify: boolean;
    /** Critical alerts stay on screen until the person acts. */
    requireInteraction: boolean;
    data: NotificationData;
  };
}

/**
 * A system notification for one wave: "CRITICAL · 203.0.113.10 · second wave" over the
 * description, which wave ("second wave, 9 min after the first"), the top vectors with their
 * shares, value against threshold and peak, and how many more alerts of its incident fire with
 * it (`others`). A reminder says so.
 */
export function notificationContent(
  alert: Alert,
  names: Readonly<Record<string, string>>,
  reminder: boolean,
  others = 0,
): NotificationContent {
  const subject = formatSubject(
    alert.subject,
    withCountryNames(names, alert.subject.country ? [alert.subject.country] : []),
  );
  const value = formatMetric(alert.metric, alert.value);
  const threshold = formatMetric(alert.metric, alert.threshold);
  const peak = formatMetric(alert.metric, alert.peak);
  const lead = reminder ? 'Still firing, not acknowledged: ' : '';
  const n = alert.episode?.n ?? 1;
  const wave = waveLabel(alert);
  const vectors = vectorsText(topVectors(alert, 3));
  const more = others > 0 ? `+${others} more alert${others === 1 ? '' : 's'} in this incident` : '';
  return {
    title: `${alert.severity.toUpperCase()} · ${subject}${n > 1 ? ` · ${waveName(n)}` : ''}`,
    options: {
      body: [
        `${lead}${alert.description || alert.rule}`,
        wave && `${wave[0]!.toUpperCase()}${wave.slice(1)}`,
        vectors,
        `${value} (threshold ${threshold}, peak ${peak}) · rule ${alert.rule}`,
        more,
      ]
        .filter(Boolean)
        .join('\n'),
      tag: alert.id,
      renotify: true,
      requireInteraction: alert.severity === 'critical',
      data: { alertId: alert.id, url: alertUrl(alert.id) },
    },
  };
}
