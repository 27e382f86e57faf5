import { useMemo } from 'react';
import { SeverityBadge } from '../../components/SeverityIcon.js';
import { useLive } from '../../store/useLive.js';
import { useNow } from '../../store/useNow.js';
import { alertRows } from './alertRows.js';
import './alertPanel.css';

// Resolved alerts say how long they lasted, not how long ago: "resolved 4 min" reads both ways.
const STATE_TEXT = {
  firing: 'firing for',
  pending: 'pending for',
  resolved: 'over, lasted',
} as const;

/**
 * Firing, pending and recently resolved alerts: severity (icon + word), subject, how long,
 * peak, and who acknowledged it. Durations run on the server's clock.
 */
export function AlertPanel({ max = 5 }: { max?: number }) {
  const alerts = useLive((s) => s.alerts);
  const names = useLive((s) => s.names);
  const offset = useLive((s) => s.clockOffsetMs);
  const now = useNow() + offset;
  const rows = useMemo(() => alertRows(alerts, now, names, { max }), [alerts, now, names, max]);
  const firing = useMemo(
    () => [...alerts.values()].filter((a) => a.state === 'firing').length,
    [alerts],
  );
  return (
    <section className="panel alert-panel" aria-label="Alerts" data-testid="alert-panel">
      <div className="panel__head">
        <div>
          <h2 className="panel__title">Alerts</h2>
          <p className="panel__sub">firing, pending and resolved in the last 30 min</p>
        </div>
        <span className="alert-panel__count">
          {firing === 0 ? 'none firing' : `${firing} firing`}
        </span>
      </div>
      {rows.length === 0 ? (
        <p className="alert-panel__calm">
          <span aria-hidden="true">✓</span> No alerts in the last 30 minutes
        </p>
      ) : (
        <ul className="alert-list">
          {rows.map((r) => (
            <li key={r.id} className={`alert-item alert-item--${r.state}`} data-alert={r.id}>
              <div className="alert-item__top">
                <SeverityBadge severity={r.severity} />
                <span className="alert-item__subject">{r.subject}</span>
                {r.wave && <span className="alert-item__wave">{r.wave}</span>}
                <span className="alert-item__state">
                  {STATE_TEXT[r.state]} {r.duration}
                </span>
              </div>
              <div className="alert-item__bottom">
                <span className="alert-item__desc">{r.description}</span>
                <span className="alert-item__peak">peak {r.peak}</span>
                <span className={r.ackBy ? 'alert-item__ack' : 'alert-item__ack is-open'}>
                  {r.ackBy ? `✓ ack ${r.ackBy}` : 'not acknowledged'}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
