import type { Alert, AlertContributor, SilenceRequest } from '@surgewatch/shared';
import { useState } from 'react';
import { SeverityBadge } from '../../components/SeverityIcon.js';
import { Sparkline } from '../../components/Sparkline.js';
import { topVectors, vectorsText, waveLabel } from '../../format/episode.js';
import { formatClock, formatDuration, formatShare } from '../../format/format.js';
import { formatMetric, formatSubject } from '../wallboard/alertRows.js';
import { AckForm } from './AckForm.js';
import { SilenceForm } from './SilenceForm.js';
import { contributorRows, drillLinks } from './oncallModel.js';
import { PortList } from './PortList.js';

const SEVERITY_COLOUR = { critical: '#ee6677', warning: '#eedd88', info: '#77aadd' } as const;

export interface AlertActions {
  /** Resolves with an error text for the person, or null when done. */
  ack(id: string, note: string): Promise<string | null>;
  silence(req: SilenceRequest): Promise<string | null>;
}

/**
 * One alert (one wave of its rule and subject): what, which wave, since when, by what vectors
 * and sources, why it fired (explanation), and what to do about it.
 */
export function AlertCard({
  alert,
  names,
  now,
  actions,
  focused,
}: {
  alert: Alert;
  names: Readonly<Record<string, string>>;
  now: number;
  actions: AlertActions;
  focused: boolean;
}) {
  const [open, setOpen] = useState<'ack' | 'silence' | null>(null);
  // a resolved alert is history: its explanation stays one click away
  const [details, setDetails] = useState(alert.state !== 'resolved');
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const end = alert.resolvedAt ?? now;
  const ex = alert.explanation;
  const m = (v: number) => formatMetric(alert.metric, v);
  const wave = waveLabel(alert);
  const vectors = vectorsText(topVectors(alert, 3));

  const done = (error: string | null, ok: string) => {
    setMessage(error ? { kind: 'error', text: error } : { kind: 'ok', text: ok });
    if (!error) setOpen(null);
    return error;
  };

  return (
    <article
      className={`oc-alert oc-alert--${alert.state} oc-alert--${alert.severity}${focused ? ' oc-alert--focused' : ''}`}
      data-testid="oncall-alert"
      data-alert-id={alert.id}
      data-state={alert.state}
      data-acked={alert.ack ? 'true' : 'false'}
    >
      <header className="oc-alert__head">
        <SeverityBadge severity={alert.severity} />
        <h3 className="oc-alert__subject">{formatSubject(alert.subject, names)}</h3>
        <span className={`oc-state oc-state--${alert.state}`}>{alert.state}</span>
        {alert.silencedBy && <span className="oc-state oc-state--silenced">silenced</span>}
        {wave && (
          <span className="oc-wave" data-testid="alert-wave">
            {wave}
          </span>
        )}
        <span className="oc-alert__time" data-testid="alert-time">
          {alert.state === 'resolved' ? 'was ' : ''}
          since {formatClock(alert.startedAt)} · {formatDuration(end - alert.startedAt)}
        </span>
      </header>
      <p className="oc-alert__desc">{alert.description || alert.rule}</p>

      {details && (
        <div className="oc-alert__body">
          <dl className="oc-facts">
            <div>
              <dt>Rule</dt>
              <dd>
                <code>{alert.rule}</code>
                {ex && <span className="oc-dim"> · {ex.condition}</span>}
              </dd>
            </div>
            <div>
              <dt>Threshold</dt>
              <dd>
                {m(alert.threshold)}
                {ex?.baseline && (
                  <span className="oc-dim">
                    {' '}
                    · baseline {m(ex.baseline.median)} ± {m(ex.baseline.mad)}
                  </span>
                )}
              </dd>
            </div>
            <div>
              <dt>Now / peak</dt>
              <dd>
                {m(alert.value)} / <strong>{m(alert.peak)}</strong>
              </dd>
            </div>
            {vectors && (
              <div className="oc-facts__wide">
                <dt>Vectors</dt>
                <dd data-testid="alert-vectors">{vectors}</dd>
              </div>
            )}
            {ex?.sourceSummary && (
              <div className="oc-facts__wide">
                <dt>Sources</dt>
                <dd data-testid="alert-source-summary">{ex.sourceSummary.text}</dd>
              </div>
            )}
          </dl>
          {ex && ex.series.length > 1 && (
            <div className="oc-spark" title={`${alert.metric}, one point per second`}>
              <Sparkline values={ex.series} colour={SEVERITY_COLOUR[alert.severity]} />
            </div>
          )}
        </div>
      )}

      {details && ex && (
        <div className="oc-sources">
          <Contributors title="Countries" list={ex.countries} names={names} />
          <Contributors title="Networks" list={ex.asns} names={names} />
          <Contributors title="Top sources" list={ex.sources} names={names} />
          {!vectors && <Contributors title="Vectors" list={ex.vectors} names={names} />}
          <PortList ports={ex.ports} />
        </div>
      )}

      <footer className="oc-alert__foot">
        <span className="oc-ack" data-testid="ack-status">
          {alert.ack
            ? `Acknowledged by ${alert.ack.by} at ${formatClock(alert.ack.at)}${alert.ack.note ? ` — “${alert.ack.note}”` : ''}`
            : alert.state === 'resolved'
              ? 'Not acknowledged'
              : 'Not acknowledged: nobody is on it yet'}
        </span>
        <span className="oc-actions">
          {!alert.ack && alert.state !== 'resolved' && (
            <button
              type="button"
              className="oc-button oc-button--primary"
              data-testid="ack-open"
              onClick={() => setOpen(open === 'ack' ? null : 'ack')}
            >
              Acknowledge…
            </button>
          )}
          {!alert.silencedBy && alert.state !== 'resolved' && (
            <button
              type="button"
              className="oc-button"
              data-testid="silence-open"
              onClick={() => setOpen(open === 'silence' ? null : 'silence')}
            >
              Silence…
            </button>
          )}
          {alert.state === 'resolved' && (
            <button
              type="button"
              className="oc-button"
              aria-expanded={details}
              onClick={() => setDetails(!details)}
            >
              {details ? 'Hide explanation' : 'Explanation'}
            </button>
          )}
          {drillLinks(alert.subject).map((l) => (
            <a key={l.href} className="oc-button oc-button--link" href={l.href}>
              Drill down: {l.label}
            </a>
          ))}
        </span>
      </footer>
      {open === 'ack' && (
        <AckForm
          label="Acknowledge"
          onAck={async (note) =>
            done(await actions.ack(alert.id, note), 'Acknowledged: every screen shows it.')
          }
          onCancel={() => setOpen(null)}
        />
      )}
      {open === 'silence' && (
        <SilenceForm
          subject={alert.subject}
          rule={alert.rule}
          onSilence={async (req) =>
            done(await actions.silence(req), 'Silenced: matching alerts stay visible, muted.')
          }
          onCancel={() => setOpen(null)}
        />
      )}
      {message && (
        <p
          className={`oc-message oc-message--${message.kind}`}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="action-message"
        >
          {message.text}
        </p>
      )}
    </article>
  );
}

function Contributors({
  title,
  list,
  names,
}: {
  title: string;
  list: readonly AlertContributor[];
  names: Readonly<Record<string, string>>;
}) {
  if (list.length === 0) return null;
  return (
    <div className="oc-contrib">
      <h4>{title}</h4>
      <ol>
        {contributorRows(list, 3, names).map((c) => (
          <li key={c.key} title={c.title || undefined}>
            <span className="oc-contrib__name">{c.label}</span>
            <span className="oc-contrib__value">
              {c.rate} <span className="oc-dim">{formatShare(c.share)}</span>
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
