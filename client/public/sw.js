/* global self, URL */
/* surgewatch service worker: shows on-call notifications and brings the page back to the
 * alert when one is clicked. Plain JavaScript, served as is from the site root so its scope
 * is the whole site. It caches nothing: a stale dashboard is worse than none. */
'use strict';

self.addEventListener('install', () => {
  // a new version takes over at once: the notification code has no state to migrate
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const alertId = typeof data.alertId === 'string' ? data.alertId : null;
  const url = typeof data.url === 'string' ? data.url : '/oncall';
  event.waitUntil(focusAlert(alertId, url));
});

/** Focuses an open on-call tab (else any surgewatch tab, else a new one) on the alert. */
async function focusAlert(alertId, url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const onCall = windows.find((c) => new URL(c.url).pathname.startsWith('/oncall'));
  if (onCall) {
    onCall.postMessage({ type: 'focus-alert', alertId });
    try {
      await onCall.focus();
    } catch {
      /* focus needs the click's user activation; the message still lands */
    }
    return;
  }
  await self.clients.openWindow(url);
}
