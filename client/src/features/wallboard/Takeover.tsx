import { useMemo, useRef, useState } from 'react';
import { SeverityIcon } from '../../components/SeverityIcon.js';
import { formatClock } from '../../format/format.js';
import { useLive } from '../../store/useLive.js';
import { useNow } from '../../store/useNow.js';
import { formatMetric } from './alertRows.js';
import type { TakeoverState } from './takeover.js';
import { dismissTakeover, INITIAL_TAKEOVER, nextTakeover, takeoverView } from './takeover.js';
import './takeover.css';

/**
 * The full-screen banner for a new critical alert: impossible to miss from across the room,
 * gone by itself once acknowledged, resolved or after half a minute (the band keeps it).
 * It names the target, which wave this is and the top vectors with their shares. Outside
 * kiosk mode it can be dismissed.
 */
export function Takeover({ dismissible }: { dismissible: boolean }) {
  const alerts = useLive((s) => s.alerts);
  const names = useLive((s) => s.names);
  const ready = useLive((s) => s.lastTickAt !== null);
  const offset = useLive((s) => s.clockOffsetMs);
  const now = useNow() + offset; // server clock, like the alerts' times
  // The decision carries over between renders (which alerts were already known), and is
  // re-made only when the alerts or the second change; dismissing re-renders through `dismissals`.
  const memory = useRef<TakeoverState>(INITIAL_TAKEOVER);
  const [dismissals, setDismissals] = useState(0);
  const state = useMemo(() => {
    void dismissals;
    if (ready) memory.current = nextTakeover(memory.current, alerts, now);
    return memory.current;
  }, [alerts, ready, now, dismissals]);

  const alert = state.showing === null ? undefined : alerts.get(state.showing);
  if (!alert) return null;
  const view = takeoverView(alert, names);
  return (
    <div
      className="takeover"
      role="alertdialog"
      aria-label="Critical alert"
      data-testid="takeover"
      data-alert-id={alert.id}
    >
      <div className="takeover__box">
        <div className="takeover__head">
          <SeverityIcon severity="critical" />
          <span>Critical alert</span>
        </div>
        <p className="takeover__subject">{view.subject}</p>
        {view.wave && (
          <p className="takeover__wave" data-testid="takeover-wave">
            {view.wave}
          </p>
        )}
        <p className="takeover__desc">{view.detail}</p>
        {view.vectors.length > 0 && (
          <ol className="takeover__vectors" aria-label="Top attack vectors">
            {view.vectors.map((v) => (
              <li key={v.key}>
                <span className="takeover__share">{Math.round(v.share * 100)}%</span>
                <span className="takeover__vector">{v.name}</span>
              </li>
            ))}
          </ol>
        )}
        <dl className="takeover__facts">
          <div>
            <dt>Since</dt>
            <dd>{formatClock(alert.startedAt, 'UTC')} UTC</dd>
          </div>
          <div>
            <dt>Now</dt>
            <dd>{formatMetric(alert.metric, alert.value)}</dd>
          </div>
          <div>
            <dt>Peak</dt>
            <dd>{formatMetric(alert.metric, alert.peak)}</dd>
          </div>
          <div>
            <dt>Threshold</dt>
            <dd>{formatMetric(alert.metric, alert.threshold)}</dd>
          </div>
        </dl>
        <p className="takeover__foot">Not acknowledged · acknowledge it in the on-call view</p>
        {dismissible && (
          <button
            type="button"
            className="takeover__dismiss"
            onClick={() => {
              memory.current = dismissTakeover(memory.current);
              setDismissals((n) => n + 1);
            }}
          >
            Dismiss
          </button>
        )}
      </div>
    </div>
  );
}
