import type { AckResult, Alert, Silence, SilenceRequest } from '@surgewatch/shared';
import type { LiveSocket } from '../../socket/createSocket.js';

/** How long an action waits for the server's answer, ms. */
export const ACTION_TIMEOUT_MS = 5_000;

const unavailable = (message: string) =>
  ({ ok: false, error: { code: 'unavailable', message } }) as const;

/**
 * Acknowledges an alert (or every alert of an incident, by the incident id) through
 * `alert:ack`. Resolves with the server's answer, or `unavailable` when the socket is down or
 * no answer comes in time; never rejects. The change itself reaches every screen as
 * `alert:update`.
 */
export function acknowledge(
  socket: LiveSocket,
  id: string,
  note: string,
): Promise<AckResult<Alert>> {
  if (!socket.connected) return Promise.resolve(unavailable('not connected to the server'));
  return new Promise((resolve) => {
    socket
      .timeout(ACTION_TIMEOUT_MS)
      .emit('alert:ack', { id, note }, (err: Error | null, res: AckResult<Alert>) =>
        resolve(err ? unavailable(`no answer within ${ACTION_TIMEOUT_MS / 1000} s`) : res),
      );
  });
}

/** Creates a silence through `silence:create`; same answer rules as `acknowledge`. */
export function createSilence(
  socket: LiveSocket,
  req: SilenceRequest,
): Promise<AckResult<Silence>> {
  if (!socket.connected) return Promise.resolve(unavailable('not connected to the server'));
  return new Promise((resolve) => {
    socket
      .timeout(ACTION_TIMEOUT_MS)
      .emit('silence:create', req, (err: Error | null, res: AckResult<Silence>) =>
        resolve(err ? unavailable(`no answer within ${ACTION_TIMEOUT_MS / 1000} s`) : res),
      );
  });
}
