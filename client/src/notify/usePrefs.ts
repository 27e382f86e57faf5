import { useCallback, useSyncExternalStore } from 'react';
import type { NotifyPrefs } from './prefs.js';
import { PREFS_KEY, parsePrefs } from './prefs.js';

let cachedText: string | null | undefined;
let cached: NotifyPrefs = parsePrefs(null);

function read(): NotifyPrefs {
  const text = localStorage.getItem(PREFS_KEY);
  // same text, same object: useSyncExternalStore compares by identity
  if (text !== cachedText) {
    cachedText = text;
    cached = parsePrefs(text);
  }
  return cached;
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // another tab changed them
  const onStorage = (e: StorageEvent) => {
    if (e.key === PREFS_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The notification preferences of this browser, shared live by its tabs. */
export function usePrefs(): [NotifyPrefs, (change: Partial<NotifyPrefs>) => void] {
  const prefs = useSyncExternalStore(subscribe, read);
  const update = useCallback((change: Partial<NotifyPrefs>) => {
    localStorage.setItem(PREFS_KEY, JSON.stringify({ ...read(), ...change }));
    for (const l of [...listeners]) l();
  }, []);
  return [prefs, update];
}
