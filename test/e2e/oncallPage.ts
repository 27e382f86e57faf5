import type { BrowserContext, Page } from 'playwright-core';

/** Where the wrapped showNotification logs every call, in the page's localStorage. */
const LOG_KEY = '__surgewatchShown';

export interface ShownNotification {
  tag: string;
  title: string;
  at: number;
}

/**
 * Grants notifications to `origin` and wraps `ServiceWorkerRegistration.showNotification`
 * in every page of the context so each call is logged to localStorage (shared by the tabs):
 * the system notifications themselves are read back with `registration.getNotifications()`,
 * but a replaced notification (same tag) would hide a duplicate call there.
 */
export async function prepareContext(context: BrowserContext, origin: string): Promise<void> {
  await context.grantPermissions(['notifications'], { origin });
  // a string, not a function: this project's types have no DOM
  await context.addInitScript({
    content: `{
      const proto = ServiceWorkerRegistration.prototype;
      const show = proto.showNotification;
      proto.showNotification = function (title, options) {
        const log = JSON.parse(localStorage.getItem(${JSON.stringify(LOG_KEY)}) ?? '[]');
        log.push({ tag: options?.tag ?? '', title, at: Date.now() });
        localStorage.setItem(${JSON.stringify(LOG_KEY)}, JSON.stringify(log));
        return show.call(this, title, options);
      };
    }`,
  });
}

/** Every showNotification call so far, in this browser. */
export async function shownLog(page: Page): Promise<ShownNotification[]> {
  return (await page.evaluate(
    `JSON.parse(localStorage.getItem(${JSON.stringify(LOG_KEY)}) ?? '[]')`,
  )) as ShownNotification[];
}

/** The notifications the service worker registration holds now (the system's own list). */
export async function workerNotifications(page: Page): Promise<{ tag: string; title: string }[]> {
  return (await page.evaluate(
    `navigator.serviceWorker.ready
      .then((reg) => reg.getNotifications())
      .then((list) => list.map((n) => ({ tag: n.tag, title: n.title })))`,
  )) as { tag: string; title: string }[];
}

/** Alert ids shown on the page, with their state and whether acknowledged. */
export async function shownAlerts(
  page: Page,
): Promise<{ id: string; state: string; acked: boolean }[]> {
  return page.locator('[data-testid="oncall-alert"]').evaluateAll((els) =>
    els.map((e) => ({
      id: e.getAttribute('data-alert-id') ?? '',
      state: e.getAttribute('data-state') ?? '',
      acked: e.getAttribute('data-acked') === 'true',
    })),
  );
}

/** Opens the on-call view and waits until it is live. */
export async function openOnCall(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/oncall`, { waitUntil: 'load' });
  await page
    .locator('[data-testid="connection-state"][data-state="live"]')
    .waitFor({ timeout: 15_000 });
  return page;
}
