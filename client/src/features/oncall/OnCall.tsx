import type { Alert } from '@surgewatch/shared';
import type { ReactNode } from 'react';
import { useMemo, useState } from 'react';
import { ConnectionBadge } from '../../components/ConnectionBadge.js';
import { unattendedCount } from '../../notify/badge.js';
import { withCountryNames } from '../../notify/countryNames.js';
import { useDocumentBadge } from '../../notify/useDocumentBadge.js';
import { useNotifications } from '../../notify/useNotifications.js';
import { usePrefs } from '../../notify/usePrefs.js';
import type { LiveSocket } from '../../socket/createSocket.js';
import { useLive, useLiveStore } from '../../store/useLive.js';
import { useNow } from '../../store/useNow.js';
import { acknowledge, createSilence } from './alertActions.js';
import type { AlertActions } from './AlertCard.js';
import { AlertCard } from './AlertCard.js';
import { NotificationSettings } from './NotificationSettings.js';
import { formatClock } from '../../format/format.js';
import type { IncidentWave, OnCallItem, OnCallSection } from './oncallModel.js';
import { actionErrorText, onCallSections, waveTitle } from './oncallModel.js';
import { useFocusedAlert } from './useFocusedAlert.js';
import './oncall.css';

const TITLE = 'surgewatch — on-call';

const SECTION_TITLE: Record<OnCallSection['state'], string> = {
  firing: 'Firing',
  pending: 'Pending (condition holding, not yet firing)',
  resolved: 'Resolved (last hour)',
};

const SECTION_EMPTY: Record<OnCallSection['state'], string> = {
  firing: 'Nothing is firing.',
  pending: 'Nothing pending.',
  resolved: 'Nothing resolved in the last hour.',
};

/**
 * The on-call view: every alert and incident with its explanation and actions, notification
 * settings, and the count of alerts needing attention in the tab title and favicon.
 */
export function OnCall({ socket }: { socket: LiveSocket }) {
  const store = useLiveStore();
  const alerts = useLive((s) => s.alerts);
  const serverNames = useLive((s) => s.names);
  const connection = useLive((s) => s.connection);
  const now = useNow();
  const [prefs, setPrefs] = usePrefs();
  const notifications = useNotifications(store, prefs);
  const focused = useFocusedAlert();

  const sections = useMemo(() => onCallSections(alerts.values()), [alerts]);
  const names = useMemo(
    () => withCountryNames(serverNames, countryCodes(alerts.values())),
    [serverNames, alerts],
  );
  const attention = useMemo(() => unattendedCount(alerts.values()), [alerts]);
  useDocumentBadge(attention, TITLE);

  const actions = useMemo<AlertActions>(
    () => ({
      async ack(id, note) {
        const res = await acknowledge(socket, id, note);
        return res.ok ? null : actionErrorText(res.error);
      },
      async silence(req) {
        const res = await createSilence(socket, req);
        return res.ok ? null : actionErrorText(res.error);
      },
    }),
    [socket],
  );

  return (
    <div className="oncall" data-testid="oncall">
      <header className="oc-header">
        <h1>
          surgewatch <span className="oc-dim">· on-call</span>
        </h1>
        <p className="oc-attention" data-testid="attention-count" data-count={attention}>
          {attention === 0
            ? 'No alert needs attention'
            : `${attention} firing alert${attention === 1 ? '' : 's'} not acknowledged`}
        </p>
        <nav className="oc-nav">
          <a href="/" className="oc-button oc-button--link">
            Wallboard
          </a>
        </nav>
        <ConnectionBadge connection={connection} />
      </header>
      <div className="oc-layout">
        <main className="oc-main">
          {sections.map((section) => (
            <section
              key={section.state}
              className={`oc-section oc-section--${section.state}`}
              data-testid={`section-${section.state}`}
            >
              <h2>
                {SECTION_TITLE[section.state]} <span className="oc-count">{section.count}</span>
              </h2>
              {section.items.length === 0 && (
                <p className="oc-dim oc-empty">{SECTION_EMPTY[section.state]}</p>
              )}
              {section.items.map((item) => (
                <Item
                  key={item.type === 'incident' ? item.id : item.alert.id}
                  item={item}
                  names={names}
                  now={now}
                  actions={actions}
                  focused={focused}
                />
              ))}
            </section>
          ))}
        </main>
        <aside className="oc-side">
          <NotificationSettings notifications={notifications} prefs={prefs} setPrefs={setPrefs} />
        </aside>
      </div>
    </div>
  );
}

function Item({
  item,
  names,
  now,
  actions,
  focused,
}: {
  item: OnCallItem;
  names: Readonly<Record<string, string>>;
  now: number;
  actions: AlertActions;
  focused: string | null;
}) {
  const card = (a: Alert) => (
    <AlertCard
      key={a.id}
      alert={a}
      names={names}
      now={now}
      actions={actions}
      focused={focused === a.id}
    />
  );
  if (item.type === 'alert') return card(item.alert);
  return (
    <Incident id={item.id} alerts={item.alerts} waves={item.waves} actions={actions} card={card} />
  );
}

/** An incident: its alerts, wave by wave (the current one first) when it had several. */
function Incident({
  id,
  alerts,
  waves,
  actions,
  card,
}: {
  id: string;
  alerts: Alert[];
  waves: IncidentWave[];
  actions: AlertActions;
  card: (a: Alert) => ReactNode;
}) {
  const open = alerts.filter((a) => !a.ack && a.state !== 'resolved').length;
  const [error, setError] = useState<string | null>(null);
  const current = waves[0]!;
  return (
    <div className="oc-incident" data-testid="oncall-incident" data-incident-id={id}>
      <div className="oc-incident__head">
        <h3>
          Incident · {alerts.length} alerts
          {waves.length > 1 && ` in ${waves.length} waves`}
          {open > 0 && <span className="oc-dim"> · {open} not acknowledged</span>}
        </h3>
        {open > 0 && (
          <button
            type="button"
            className="oc-button"
            data-testid="incident-ack"
            onClick={() => void actions.ack(id, 'acknowledged with its incident').then(setError)}
          >
            Acknowledge all
          </button>
        )}
      </div>
      {error && (
        <p className="oc-message oc-message--error" role="alert">
          {error}
        </p>
      )}
      {waves.length === 1
        ? current.alerts.map(card)
        : waves.map((w) => (
            <section
              key={w.startedAt}
              className={`oc-incident__wave${w.endedAt === null ? '' : ' oc-incident__wave--over'}`}
              data-testid="incident-wave"
              data-wave={w.n}
            >
              <h4 className="oc-incident__wave-head">
                <span className={w.label && w.endedAt === null ? 'oc-wave' : undefined}>
                  {waveTitle(w)}
                </span>{' '}
                ·{' '}
                {w.endedAt === null
                  ? `since ${formatClock(w.startedAt)}`
                  : `${formatClock(w.startedAt)}–${formatClock(w.endedAt)}, over`}
              </h4>
              {w.alerts.map(card)}
            </section>
          ))}
    </div>
  );
}

/** Every country code an alert is about or names among its sources. */
function* countryCodes(alerts: Iterable<Alert>): Iterable<string> {
  for (const a of alerts) {
    if (a.subject.country) yield a.subject.country;
    for (const c of a.explanation?.countries ?? []) yield c.key;
  }
}
