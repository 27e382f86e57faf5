import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { goToLogin, onSocketUnauthorized } from './auth/session.js';
import { OnCall } from './features/oncall/OnCall.js';
import { Wallboard } from './features/wallboard/Wallboard.js';
import { connectLive } from './socket/connectLive.js';
import { createSocket } from './socket/createSocket.js';
import { createLiveStore } from './store/createLiveStore.js';
import { startHistoryLoader } from './store/loadHistory.js';
import { LiveStoreProvider } from './store/LiveStoreProvider.js';
import './theme.css';

// Composition root: one store and one socket for the page, created here at start-up
// (never at import time), then the view.
const store = createLiveStore();
const socket = createSocket();
// A refused handshake (no session, or it expired) goes to /login, which comes back here.
const stopAuth = onSocketUnauthorized(socket, () => goToLogin());
const stop = connectLive(socket, store, window);
// The snapshot holds 15 minutes; the 60-minute chart gets the rest over REST.
const stopHistory = startHistoryLoader(store);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <LiveStoreProvider store={store}>
      {location.pathname.startsWith('/oncall') ? <OnCall socket={socket} /> : <Wallboard />}
    </LiveStoreProvider>
  </StrictMode>,
);

// In development, a hot update of this module must not leave a second socket running.
import.meta.hot?.dispose(() => {
  stopAuth();
  stop();
  stopHistory();
});
