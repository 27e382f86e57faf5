import type { ClientToServerEvents, ServerToClientEvents } from '@surgewatch/shared';
import { SOCKET_PATH } from '@surgewatch/shared';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Creates the page's one socket, not yet connected (`connectLive` starts it). Same origin
 * as the page unless `url` says otherwise. WebSocket only: long-polling through an ops-room
 * proxy hides drops that the badge must show. Reconnects forever with jittered backoff
 * (1 s doubling to 15 s) so a wall screen comes back on its own after any outage.
 */
export function createSocket(url?: string): LiveSocket {
  const options = {
    path: SOCKET_PATH,
    transports: ['websocket'],
    autoConnect: false,
    reconnection: true,
    reconnectionAttempts: Number.POSITIVE_INFINITY,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 15_000,
    randomizationFactor: 0.5,
    timeout: 10_000,
  };
  return url === undefined ? io(options) : io(url, options);
}
