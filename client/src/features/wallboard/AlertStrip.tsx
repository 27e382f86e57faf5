import { useMemo } from 'react';
import { SeverityBadge } from '../../components/SeverityIcon.js';
import { waveLabel } from '../../format/episode.js';
import { formatClock } from '../../format/format.js';
import { countBySeverity, firingAlerts } from '../../store/alerts.js';
import { useLive } from '../../store/useLive.js';
import { descriptionDetail, formatSubject } from './alertRows.js';

/**
 * Firing alerts in one band: the most severe in full (what is hit, then how, so a narrow
 * screen cuts the how), the rest counted by severity (the on-call view lists them all). Hidden when nothing fires. "Since" is the current episode's
 * start: a wave that fires again after it resolved is its own alert, and says which wave it is.
 */
export function AlertStrip() {
  const alerts = useLive((s) => s.alerts);
  const names = useLive((s) => s.names);
  const firing = useMemo(() => firingAlerts(alerts), [alerts]);
  const [top, ...rest] = firing;
  if (top === undefined) return null;
  const wave = waveLabel(top);
  return (
    <section
      className={`alerts alerts--${top.severity}`}
      aria-label="Firing alerts"
      data-testid="alert-strip"
    >
      <span className="alerts__count">
        <span aria-hidden="true">⚠ </span>
        {firing.length} firing
      </span>
      <div className="alert">
        <SeverityBadge severity={top.severity} />
        <span className="alert__subject">{formatSubject(top.subject, names)}</span>
        <span className="alert__text" title={top.description}>
          {descriptionDetail(top.description)}
        </span>
        <span className="alert__since" data-testid="alert-since" data-started-at={top.startedAt}>
          since {formatClock(top.startedAt, 'UTC')} UTC
        </span>
        {wave && (
          <span className="alert__wave" data-testid="alert-wave">
            {wave}
          </span>
        )}
        {top.ack && <span className="alert__ack">✓ acknowledged by {top.ack.by}</span>}
      </div>
      {rest.length > 0 && (
        <span className="alerts__more">
          +{rest.length} more:{' '}
          {countBySeverity(rest)
            .map((c) => `${c.count} ${c.severity}`)
            .join(' · ')}
        </span>
      )}
    </section>
  );
}
