import type { ReactNode } from 'react';
import type { LiveStore } from './createLiveStore.js';
import { LiveStoreContext } from './liveStoreContext.js';

export function LiveStoreProvider({ store, children }: { store: LiveStore; children: ReactNode }) {
  return <LiveStoreContext value={store}>{children}</LiveStoreContext>;
}
