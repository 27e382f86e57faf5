import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, waitForHealthy, type Browser } from './browser.js';
import {
  openOnCall,
  prepareContext,
  shownAlerts,
  shownLog,
  workerNotifications,
} from './oncallPage.js';

/**
 * The demo scenario on a 20-second loop (its first wave starts 5 s into each loop) with
 * static rules, so a flood fires within seconds: a critical alert per attacking country and
 * a warning on the attacked service.
 */
const CONFIG = {
  demo: { seed: 3, loop: '20s', backfill: '0s', baselineFps: 150 },
  rules: [
    {
      name: 'country-flood',
      metric: 'bps',
      scope: 'country',
      match: ['RU', 'BR'],
      when: { above: 1_000_000 },
      severity: 'critical',
      clearFor: '60s',
      description: 'Traffic from a country that normally sends none',
    },
    {
      name: 'target-flood',
      metric: 'bps',
      scope: 'destination',
      match: '203.0.113.30',
      when: { above: 300_000_000 },
      severity: 'warning',
      clearFor: '60s',
      description: 'The canvass tool receives far more than it ever does',
    },
  ],
};

describe('the on-call page in headless Chromium (demo flood)', () => {
  let server: RunningServer;
  let browser: Browser;
  let first: Page;
  let second: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertClientBuilt();
    server = await startServer({ config: CONFIG });
    await waitForHealthy(server.url);
    browser = await launchBrowser();
    await prepareContext(browser.context, server.url);
    first = await openOnCall(browser.context, server.url);
    second = await openOnCall(browser.context, server.url);
    for (const p of [first, second]) p.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks nothing unasked: the permission is shown as granted, with no prompt button', async () => {
    const state = first.getByTestId('notify-permission');
    await state.and(first.locator('[data-permission="granted"]')).waitFor({ timeout: 5_000 });
    expect(await first.getByTestId('notify-enable').count()).toBe(0);
  });

  it('without permission it explains and asks only on a click; a refusal is shown', async () => {
    const other = await launchBrowser();
    try {
      const page = await openOnCall(other.context, server.url);
      const state = page.getByTestId('notify-permission');
      expect(await state.getAttribute('data-permission')).toBe('default');
      expect(await state.innerText()).toMatch(/has not been asked yet/);
      // headless Chromium answers the browser's prompt itself, with a refusal
      await page.getByTestId('notify-enable').click();
      await page.locator('[data-testid="notify-permission"][data-permission="denied"]').waitFor({
        timeout: 5_000,
      });
      expect(await state.innerText()).toMatch(/Blocked in this browser.*site settings/);
      expect(await page.getByTestId('notify-enable').count()).toBe(0);
      // the page itself carries on
      expect(await page.getByTestId('connection-state').getAttribute('data-state')).toBe('live');
    } finally {
      await other.close();
    }
  });

  it('a flood shows a system notification through the service worker, once for both tabs', async () => {
    const notes = await waitFor(
      async () => {
        const list = await workerNotifications(first);
        return list.some((n) => n.title.startsWith('CRITICAL')) ? list : null;
      },
      40_000,
      250,
    );
    const critical = notes.find((n) => n.title.startsWith('CRITICAL'))!;
    expect(critical.title).toMatch(/^CRITICAL · (RU Russia|BR Brazil)/);
    // the page lists the alert the notification is about
    await first.locator(`[data-alert-id="${critical.tag}"]`).waitFor({ timeout: 5_000 });
    // let every alert of the wave fire and both tabs see it, then count the calls
    await first.waitForTimeout(3_000);
    const log = await shownLog(first);
    const tags = log.map((n) => n.tag);
    expect(tags.length).toBeGreaterThan(0);
    expect(new Set(tags).size).toBe(tags.length);
    // one notification per wave of an incident (warning is the default minimum): every firing
    // alert on the page was told about, itself or through another alert of its incident
    const groups = await first
      .locator('[data-testid="oncall-alert"][data-state="firing"]')
      .evaluateAll((els) =>
        els.map((e) => {
          const incident = e.closest('[data-testid="oncall-incident"]');
          const ids = incident
            ? [...incident.querySelectorAll('[data-testid="oncall-alert"]')].map(
                (c) => c.getAttribute('data-alert-id') ?? '',
              )
            : [e.getAttribute('data-alert-id') ?? ''];
          return ids;
        }),
      );
    expect(groups.length).toBeGreaterThan(0);
    for (const ids of groups) expect(ids.some((id) => tags.includes(id))).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows the count of unacknowledged firing alerts in the title and favicon', async () => {
    const count = Number(await first.getByTestId('attention-count').getAttribute('data-count'));
    expect(count).toBeGreaterThan(0);
    expect(await first.title()).toBe(`(${count}) surgewatch — on-call`);
    const icon = await first.locator('link[rel="icon"]').getAttribute('href');
    expect(decodeURIComponent(icon ?? '')).toContain(`>${count}<`);
  });

  it("a firing alert's explanation names the ports it is hit on (one of the waves' ports first)", async () => {
    const ports = first
      .locator('[data-testid="oncall-alert"][data-state="firing"] [data-testid="alert-ports"]')
      .first();
    await ports.waitFor({ timeout: 20_000 });
    const text = (await ports.textContent()) ?? '';
    // which alert fires first, and which wave it sees, depends on where the demo loop is:
    // wave 1 floods HTTPS (TCP * → 443), wave 2 reflects off DNS, NTP, memcached, SSDP, LDAP
    expect(text).toMatch(
      /^Ports\s*(TCP \* → 443 HTTPS|UDP 53 → \* DNS|UDP 123 → \* NTP|UDP 11211 → \* memcached|UDP 1900 → \* SSDP|UDP 389 → \* CLDAP)/,
    );
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('an acknowledgement on one page shows on the other within a second', async () => {
    const card = first
      .locator('[data-testid="oncall-alert"][data-state="firing"][data-acked="false"]')
      .first();
    const id = (await card.getAttribute('data-alert-id'))!;
    const before = Number(await second.getByTestId('attention-count').getAttribute('data-count'));
    await card.getByTestId('ack-open').click();
    await card.getByTestId('ack-note').fill('on it: scrubbing requested');
    const t0 = Date.now();
    await card.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    const other = second.locator(`[data-alert-id="${id}"]`);
    await other.and(second.locator('[data-acked="true"]')).waitFor({ timeout: 1_000 });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(await other.getByTestId('ack-status').innerText()).toMatch(
      /Acknowledged by anonymous .*on it: scrubbing requested/,
    );
    expect(await first.getByTestId('action-message').first().innerText()).toMatch(/Acknowledged/);
    await waitFor(
      async () =>
        Number(await second.getByTestId('attention-count').getAttribute('data-count')) < before,
      2_000,
      100,
    );
  });

  it('a silence from the page mutes the alert on every screen', async () => {
    const card = second
      .locator('[data-testid="oncall-alert"][data-state="firing"][data-acked="false"]')
      .first();
    const id = (await card.getAttribute('data-alert-id'))!;
    const before = Number(await first.getByTestId('attention-count').getAttribute('data-count'));
    await card.getByTestId('silence-open').click();
    const form = card.getByTestId('silence-form');
    await form.locator('select').selectOption('15');
    await form.getByPlaceholder('e.g. planned load test').fill('known test traffic');
    await form.getByRole('button', { name: 'Silence', exact: true }).click();
    await first.locator(`[data-alert-id="${id}"] .oc-state--silenced`).waitFor({ timeout: 2_000 });
    await waitFor(
      async () =>
        Number(await first.getByTestId('attention-count').getAttribute('data-count')) ===
        before - 1,
      2_000,
      100,
    );
  });

  it('a notification link (#alert=<id>) opens the page on that alert', async () => {
    const id = (await shownAlerts(first))[0]!.id;
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/oncall#alert=${encodeURIComponent(id)}`);
    await page.locator(`[data-alert-id="${id}"].oc-alert--focused`).waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('a notification click focuses an open on-call tab on its alert (the worker posts to it)', async () => {
    const id = (await shownAlerts(first))[0]!.id;
    const pagesBefore = browser.context.pages().length;
    const worker =
      browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
    // what the worker's notificationclick handler runs (a synthetic click cannot waitUntil)
    await worker.evaluate(
      `focusAlert(${JSON.stringify(id)}, ${JSON.stringify(`/oncall#alert=${encodeURIComponent(id)}`)})`,
    );
    const focused = await waitFor(
      async () => {
        for (const p of [first, second]) {
          if ((await p.locator(`[data-alert-id="${id}"].oc-alert--focused`).count()) > 0) return p;
        }
        return null;
      },
      5_000,
      100,
    );
    expect(focused.url()).toContain(`#alert=${encodeURIComponent(id)}`);
    // an open on-call tab is reused, not a new window opened
    expect(browser.context.pages()).toHaveLength(pagesBefore);
  });
});

const sha256 = (t: string) => `sha256$${createHash('sha256').update(t).digest('hex')}`;
const VIEWER = 'oncall-viewer-token-'.padEnd(43, 'v');

describe('the on-call page for a viewer (authentication on)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    assertClientBuilt();
    server = await startServer({
      config: {
        ...CONFIG,
        auth: { tokens: [{ name: 'night-viewer', role: 'viewer', hash: sha256(VIEWER) }] },
      },
    });
    await waitForHealthy(server.url);
    browser = await launchBrowser();
    await prepareContext(browser.context, server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("refuses a viewer's acknowledgement and says why", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/login?token=${VIEWER}&next=/oncall`, { waitUntil: 'load' });
    expect(new URL(page.url()).pathname).toBe('/oncall');
    const card = page
      .locator('[data-testid="oncall-alert"][data-state="firing"][data-acked="false"]')
      .first();
    await card.waitFor({ timeout: 40_000 });
    const id = (await card.getAttribute('data-alert-id'))!;
    await card.getByTestId('ack-open').click();
    await card.getByTestId('ack-note').fill('a viewer tries');
    await card.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    const message = card.getByTestId('action-message');
    await message.waitFor({ timeout: 5_000 });
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await message.innerText()).toMatch(/Not allowed: .*responder role/);
    // the form stays open for a retry, and the alert is still not acknowledged anywhere
    expect(await card.getByTestId('ack-form').count()).toBe(1);
    const res = await page.evaluate(async () => (await fetch('/api/alerts')).json());
    const alert = (res as { alerts: { id: string; ack: unknown }[] }).alerts.find(
      (a) => a.id === id,
    );
    expect(alert?.ack).toBeNull();
  }, 60_000);
});
