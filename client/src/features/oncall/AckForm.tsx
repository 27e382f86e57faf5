import { useState } from 'react';

/** A note and a confirm button; `onAck` resolves with an error text or null when done. */
export function AckForm({
  label,
  onAck,
  onCancel,
}: {
  label: string;
  onAck: (note: string) => Promise<string | null>;
  onCancel: () => void;
}) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="oc-form"
      data-testid="ack-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void onAck(note.trim()).finally(() => setBusy(false));
      }}
    >
      <label className="oc-form__field">
        <span>Note (what you are doing about it)</span>
        <input
          type="text"
          value={note}
          maxLength={500}
          autoFocus
          placeholder="e.g. on it, upstream scrubbing requested"
          data-testid="ack-note"
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      <div className="oc-form__buttons">
        <button type="submit" className="oc-button oc-button--primary" disabled={busy}>
          {busy ? 'Acknowledging…' : label}
        </button>
        <button type="button" className="oc-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
