import { use, useSyncExternalStore } from 'react';
import type { LiveState, LiveStore } from './createLiveStore.js';
import { LiveStoreContext } from './liveStoreContext.js';

export function useLiveStore(): LiveStore {
  const store = use(LiveStoreContext);
  if (!store) throw new Error('useLive* hooks need a <LiveStoreProvider> above them');
  return store;
}

/**
 * Reads one slice of the live state. The component re-renders only when the slice changes
 * by identity, so `selector` must return a part of the state (or a primitive), never a new
 * object: derive bigger things with `useMemo` over the slice.
 */
export function useLive<T>(selector: (state: LiveState) => T): T {
  const store = useLiveStore();
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}
