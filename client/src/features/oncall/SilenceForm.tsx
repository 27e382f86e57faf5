import type { SilenceRequest } from '@surgewatch/shared';
import { useState } from 'react';
import { SILENCE_DURATIONS, durationLabel, silenceMatchers } from './oncallModel.js';

/**
 * A silence for an alert: which of its subject's dimensions and its rule to match (the
 * subject by default: the narrowest useful scope), for how long, and why.
 */
export function SilenceForm({
  subject,
  rule,
  onSilence,
  onCancel,
}: {
  subject: Readonly<Record<string, string>>;
  rule: string;
  onSilence: (req: SilenceRequest) => Promise<string | null>;
  onCancel: () => void;
}) {
  const candidates: Record<string, string> = { ...subject, rule };
  const dims = Object.keys(candidates);
  const [keep, setKeep] = useState<ReadonlySet<string>>(
    () => new Set(Object.keys(subject).length > 0 ? Object.keys(subject) : ['rule']),
  );
  const [durationMin, setDuration] = useState<number>(60);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const matchers = silenceMatchers(candidates, keep);
  const empty = Object.keys(matchers).length === 0;
  return (
    <form
      className="oc-form"
      data-testid="silence-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (empty || reason.trim() === '') return;
        setBusy(true);
        void onSilence({ matchers, durationMin, reason: reason.trim() }).finally(() =>
          setBusy(false),
        );
      }}
    >
      <fieldset className="oc-form__field">
        <legend>Scope: alerts matching</legend>
        {dims.map((d) => (
          <label key={d} className="oc-check">
            <input
              type="checkbox"
              checked={keep.has(d)}
              onChange={(e) => {
                const next = new Set(keep);
                if (e.target.checked) next.add(d);
                else next.delete(d);
                setKeep(next);
              }}
            />
            {d} = {candidates[d]}
          </label>
        ))}
      </fieldset>
      <label className="oc-form__field">
        <span>For</span>
        <select value={durationMin} onChange={(e) => setDuration(Number(e.target.value))}>
          {SILENCE_DURATIONS.map((m) => (
            <option key={m} value={m}>
              {durationLabel(m)}
            </option>
          ))}
        </select>
      </label>
      <label className="oc-form__field">
        <span>Reason</span>
        <input
          type="text"
          value={reason}
          required
          maxLength={500}
          placeholder="e.g. planned load test"
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <div className="oc-form__buttons">
        <button
          type="submit"
          className="oc-button oc-button--primary"
          disabled={busy || empty || reason.trim() === ''}
        >
          {busy ? 'Silencing…' : 'Silence'}
        </button>
        <button type="button" className="oc-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {empty && (
        <p className="oc-dim">Keep at least one dimension: a silence must match something.</p>
      )}
    </form>
  );
}
