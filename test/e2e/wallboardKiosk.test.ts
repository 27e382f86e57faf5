import type { Alert } from '@surgewatch/shared';
import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, waitForHealthy, type Browser } from './browser.js';

/**
 * Kiosk mode against the real server (demo scenario). The socket is routed through
 * Playwright so the test can add one critical alert to the real stream: the demo's own
 * alerts depend on detection rules, the takeover must not.
 */
describe('the wallboard in kiosk mode', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const sockets: WebSocketRoute[] = [];

  /** Sends a socket.io event to the page as if the server had (engine.io "4" + socket.io "2"). */
  const inject = (event: string, data: unknown) => {
    for (const ws of sockets) ws.send(`42${JSON.stringify([event, data])}`);
  };

  beforeAll(async () => {
    assertClientBuilt();
    // No rules: the demo's own alerts would hold the rotation; this test brings its own.
    server = await startServer({ config: { demo: { seed: 3, backfill: '60s' }, rules: [] } });
    await waitForHealthy(server.url);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      ws.connectToServer(); // forwards both ways
      sockets.push(ws);
    });
    await page.goto(`${server.url}/?kiosk=1&rotate=5`, { waitUntil: 'load' });
    await page
      .locator('[data-testid="connection-state"][data-state="live"]')
      .waitFor({ timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('has no controls and no cursor, and names the views it rotates through', async () => {
    expect(await page.getByTestId('view-controls').count()).toBe(0);
    expect(await page.locator('button').count()).toBe(0);
    const cursor = await page.evaluate(
      "getComputedStyle(document.querySelector('.wallboard')).cursor",
    );
    expect(cursor).toBe('none');
    expect(await page.getByTestId('view-steps').innerText()).toMatch(/Traffic[\s\S]*Sources/);
  });

  it('rotates to the next view by itself', async () => {
    await page.getByTestId('view-sources').waitFor({ timeout: 10_000 });
    expect(page.url()).toMatch(/view=sources/);
  });

  it('takes over the screen for a new critical alert and holds the rotation', async () => {
    const now = Date.now();
    const alert: Alert = {
      id: 'e2e-critical',
      rule: 'country-bps',
      severity: 'critical',
      state: 'firing',
      subject: { country: 'RU' },
      description: 'Traffic from Russia above 5 Gb/s',
      metric: 'bps',
      threshold: 5e9,
      value: 7.2e9,
      peak: 8.1e9,
      startedAt: now - 20_000,
      updatedAt: now,
      resolvedAt: null,
      ack: null,
    };
    inject('alert:update', { type: 'upsert', alert });
    const takeover = page.getByTestId('takeover');
    await takeover.waitFor({ timeout: 5_000 });
    const text = await takeover.innerText();
    expect(text).toMatch(/critical alert/i);
    expect(text).toMatch(/\bRU\b/);
    expect(text).toMatch(/8\.10 Gb\/s/);
    expect(await page.getByTestId('view-steps').innerText()).toMatch(/held: critical alert/);

    // Held: no rotation while it fires, for longer than one rotation period.
    const view = await page.locator('.wallboard').getAttribute('data-view');
    await page.waitForTimeout(6_500);
    expect(await page.locator('.wallboard').getAttribute('data-view')).toBe(view);

    inject('alert:update', { type: 'remove', id: alert.id });
    await waitFor(async () => (await takeover.count()) === 0, 5_000);
    await waitFor(
      async () => (await page.locator('.wallboard').getAttribute('data-view')) !== view,
      10_000,
    );
  });
});
