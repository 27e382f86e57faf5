import { useMemo } from 'react';
import { formatClock } from '../../format/format.js';
import { firingAlerts } from '../../store/alerts.js';
import { useLive } from '../../store/useLive.js';

const SHOWN = 3;

/** Firing alerts, most severe first; hidden when none fire. */
export function AlertStrip() {
  const alerts = useLive((s) => s.alerts);
  const firing = useMemo(() => firingAlerts(alerts), [alerts]);
  if (firing.length === 0) return null;
  return (
    <section className="alerts" aria-label="Firing alerts" data-testid="alert-strip">
      <span className="alerts__count">
        {firing.length} firing alert{firing.length === 1 ? '' : 's'}
      </span>
      {firing.slice(0, SHOWN).map((a) => (
        <div key={a.id} className={`alert alert--${a.severity}`}>
          <span className="alert__severity">{a.severity}</span>
          <span className="alert__text">{a.description}</span>
          <span className="alert__since">since {formatClock(a.startedAt, 'UTC')} UTC</span>
          {a.ack && <span className="alert__ack">✓ ack {a.ack.by}</span>}
        </div>
      ))}
      {firing.length > SHOWN && <span className="alerts__more">+{firing.length - SHOWN} more</span>}
    </section>
  );
}
