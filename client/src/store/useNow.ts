import { useSyncExternalStore } from 'react';
import type { Ticker } from './clock.js';
import { createTicker } from './clock.js';

let ticker: Ticker | null = null;

// Created on first use, not at import: importing a module must not start timers.
function shared(): Ticker {
  ticker ??= createTicker(1000);
  return ticker;
}

/** Subscribes to the shared one-second clock (for hooks combining it with other stores). */
export function subscribeNow(listener: () => void): () => void {
  return shared().subscribe(listener);
}

/** The shared clock's current time, ms epoch. */
export function getNow(): number {
  return shared().now();
}

/** The client wall clock (ms epoch), re-rendering the caller once a second on the second. */
export function useNow(): number {
  return useSyncExternalStore(subscribeNow, getNow);
}
