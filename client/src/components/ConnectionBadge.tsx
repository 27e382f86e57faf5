import './components.css';
import type { ConnectionState } from '../socket/connectionState.js';

const LABEL: Record<ConnectionState['kind'], string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
};

/** Connection state as text plus a distinct icon shape, so it reads without colour. */
export function ConnectionBadge({ connection }: { connection: ConnectionState }) {
  const { kind, attempt, detail } = connection;
  const text =
    kind === 'reconnecting' && attempt > 0 ? `${LABEL[kind]} · try ${attempt}` : LABEL[kind];
  return (
    <div
      className={`badge badge--${kind}`}
      data-testid="connection-state"
      data-state={kind}
      title={detail ?? undefined}
      role="status"
    >
      <BadgeIcon kind={kind} />
      <span>{text}</span>
    </div>
  );
}

function BadgeIcon({ kind }: { kind: ConnectionState['kind'] }) {
  switch (kind) {
    case 'live':
      return (
        // the pulsing ring is an element of its own, so its opacity animates on the
        // compositor: an animated SVG child would be repainted on the main thread every frame
        <span className="badge__icon badge__icon--pulse" aria-hidden="true">
          <svg viewBox="0 0 20 20">
            <circle cx="10" cy="10" r="5" fill="currentColor" />
          </svg>
          <span className="badge__ring" />
        </span>
      );
    case 'connecting':
    case 'reconnecting':
      return (
        <svg className="badge__icon badge__icon--spin" viewBox="0 0 20 20" aria-hidden="true">
          <path
            d="M10 2.5a7.5 7.5 0 1 1-7.1 5.1"
            fill="none"
            stroke="currentColor"
            strokeWidth="2.2"
            strokeLinecap="round"
          />
          <path
            d="M1.5 3.5 3 8l4.4-1.6"
            fill="none"
            stroke="currentColor"
            strokeWidth="2.2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      );
    case 'offline':
      return (
        <svg className="badge__icon" viewBox="0 0 20 20" aria-hidden="true">
          <circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" strokeWidth="2" />
          <path
            d="M6 6l8 8M14 6l-8 8"
            stroke="currentColor"
            strokeWidth="2.2"
            strokeLinecap="round"
          />
        </svg>
      );
  }
}
