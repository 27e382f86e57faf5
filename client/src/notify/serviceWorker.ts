/** The service worker script, served from the site root so its scope is the whole site. */
export const WORKER_URL = '/sw.js';

/** A message from the worker: a notification for `alertId` was clicked. */
export interface FocusAlertMessage {
  type: 'focus-alert';
  alertId: string | null;
}

/**
 * Registers the worker and resolves with its registration once it is active; null where
 * service workers do not exist (an insecure origin other than localhost, an old browser).
 */
export async function registerWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  await navigator.serviceWorker.register(WORKER_URL, { scope: '/' });
  return navigator.serviceWorker.ready;
}

/** Calls `handler` for every focus-alert message; returns the unsubscribe function. */
export function onFocusAlert(handler: (alertId: string) => void): () => void {
  if (!('serviceWorker' in navigator)) return () => undefined;
  const listener = (e: MessageEvent<unknown>) => {
    const m = e.data as Partial<FocusAlertMessage> | null;
    if (m?.type === 'focus-alert' && typeof m.alertId === 'string') handler(m.alertId);
  };
  navigator.serviceWorker.addEventListener('message', listener);
  return () => navigator.serviceWorker.removeEventListener('message', listener);
}
