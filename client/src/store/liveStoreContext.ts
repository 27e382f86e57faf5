import { createContext } from 'react';
import type { LiveStore } from './createLiveStore.js';

/** The page's store, provided once at the root (tests and other views can provide their own). */
export const LiveStoreContext = createContext<LiveStore | null>(null);
