import type { AlertUpdate, SourceStatus, TrafficSnapshot, TrafficTick } from '@surgewatch/shared';
import type { Socket } from 'socket.io-client';
import type { LiveStore } from '../store/createLiveStore.js';
import type { LiveSocket } from './createSocket.js';

/** The browser's online/offline notifications (window in the page; absent in tests). */
export type NetworkEvents = Pick<Window, 'addEventListener' | 'removeEventListener'>;

/** Delay before reconnecting after the server itself closed the session (socket.io won't). */
const SERVER_CLOSE_RETRY_MS = 3_000;

/**
 * Feeds `store` from `socket` and opens the connection. Every handler is a named function
 * removed with `off(event, handler)` by the returned `stop`, which also disconnects; no other
 * listener on the socket is touched.
 */
export function connectLive(
  socket: LiveSocket,
  store: LiveStore,
  network?: NetworkEvents,
): () => void {
  let retry: ReturnType<typeof setTimeout> | null = null;

  const onSnapshot = (s: TrafficSnapshot) => store.applySnapshot(s);
  const onTick = (t: TrafficTick) => store.applyTick(t);
  const onStatus = (s: SourceStatus) => store.setSource(s);
  const onAlert = (u: AlertUpdate) => store.applyAlertUpdate(u);
  const onConnect = () => store.connectionEvent({ type: 'connect' });
  const onConnectError = (err: Error) =>
    store.connectionEvent({ type: 'connect_error', message: err.message });
  const onDisconnect = (reason: Socket.DisconnectReason) => {
    store.connectionEvent({ type: 'disconnect', reason });
    // On a server-side close socket.io does not retry by itself; a wall screen must.
    if (reason === 'io server disconnect' && retry === null) {
      retry = setTimeout(() => {
        retry = null;
        socket.connect();
      }, SERVER_CLOSE_RETRY_MS);
    }
  };
  const onAttempt = (attempt: number) =>
    store.connectionEvent({ type: 'reconnect_attempt', attempt });
  const onOffline = () => store.connectionEvent({ type: 'browser_offline' });
  const onOnline = () => store.connectionEvent({ type: 'browser_online' });

  socket.on('traffic:snapshot', onSnapshot);
  socket.on('traffic:tick', onTick);
  socket.on('source:status', onStatus);
  socket.on('alert:update', onAlert);
  socket.on('connect', onConnect);
  socket.on('connect_error', onConnectError);
  socket.on('disconnect', onDisconnect);
  socket.io.on('reconnect_attempt', onAttempt);
  network?.addEventListener('offline', onOffline);
  network?.addEventListener('online', onOnline);

  socket.connect();

  return function stop() {
    if (retry !== null) clearTimeout(retry);
    socket.off('traffic:snapshot', onSnapshot);
    socket.off('traffic:tick', onTick);
    socket.off('source:status', onStatus);
    socket.off('alert:update', onAlert);
    socket.off('connect', onConnect);
    socket.off('connect_error', onConnectError);
    socket.off('disconnect', onDisconnect);
    socket.io.off('reconnect_attempt', onAttempt);
    network?.removeEventListener('offline', onOffline);
    network?.removeEventListener('online', onOnline);
    socket.disconnect();
  };
}
