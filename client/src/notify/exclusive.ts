/** The browser-wide lock every tab takes before deciding what to notify. */
const LOCK_NAME = 'surgewatch-oncall-notify';

/**
 * Runs `fn` while no other tab of this browser runs it (Web Locks). Without Web Locks (an
 * insecure origin) it runs at once: tabs could then race, and the notification tag (the alert
 * id) still collapses their duplicates into one notification.
 */
export function exclusive(fn: () => Promise<void>): Promise<void> {
  if (typeof navigator !== 'undefined' && 'locks' in navigator) {
    return navigator.locks.request(LOCK_NAME, fn).then(() => undefined);
  }
  return fn();
}
