/**
 * Where the live connection stands, as the header badge shows it.
 * - connecting: the first attempt since the page opened, no data yet;
 * - live: connected, snapshot received or on its way;
 * - reconnecting: the connection dropped and the client is retrying (forever, with backoff);
 * - offline: the browser says it has no network, so retrying is pointless until it returns.
 */
export type ConnectionKind = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionState {
  kind: ConnectionKind;
  /** Client clock, ms epoch, when `kind` last changed. */
  since: number;
  /** Reconnection attempts since the connection was lost (0 while live). */
  attempt: number;
  /** Why the last attempt failed or the connection dropped, for the badge's tooltip. */
  detail: string | null;
}

/** The socket-level happenings the state follows (socket.io events plus browser on/offline). */
export type ConnectionEvent =
  | { type: 'connect' }
  | { type: 'disconnect'; reason: string }
  | { type: 'reconnect_attempt'; attempt: number }
  | { type: 'connect_error'; message: string }
  | { type: 'browser_offline' }
  | { type: 'browser_online' };

export function initialConnection(now: number): ConnectionState {
  return { kind: 'connecting', since: now, attempt: 0, detail: null };
}

/**
 * The next connection state after `event` at client time `now` (ms). Returns `prev` itself
 * when nothing visible changed, so subscribers can skip work by identity.
 */
export function nextConnection(
  prev: ConnectionState,
  event: ConnectionEvent,
  now: number,
): ConnectionState {
  const to = (kind: ConnectionKind, attempt: number, detail: string | null): ConnectionState =>
    kind === prev.kind && attempt === prev.attempt && detail === prev.detail
      ? prev
      : { kind, since: kind === prev.kind ? prev.since : now, attempt, detail };

  switch (event.type) {
    case 'connect':
      return to('live', 0, null);
    case 'disconnect':
      if (prev.kind === 'offline') return to('offline', prev.attempt, event.reason);
      return to('reconnecting', 0, event.reason);
    case 'reconnect_attempt':
      if (prev.kind === 'offline' || prev.kind === 'live') return prev;
      return to(
        prev.kind === 'connecting' ? 'connecting' : 'reconnecting',
        event.attempt,
        prev.detail,
      );
    case 'connect_error':
      if (prev.kind === 'live' || prev.kind === 'offline') return prev;
      return to(prev.kind, prev.attempt, event.message);
    case 'browser_offline':
      return to('offline', prev.attempt, 'the browser reports no network');
    case 'browser_online':
      if (prev.kind !== 'offline') return prev;
      return to('reconnecting', prev.attempt, null);
  }
}
