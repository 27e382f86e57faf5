import type { Alert } from '@surgewatch/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, waitForHealthy, type Browser } from './browser.js';
import { openOnCall, prepareContext, shownLog } from './oncallPage.js';

/**
 * The demo on a 20-second loop: Russia floods for a few seconds of every loop (its first
 * wave), and a static critical rule that clears after 2 s fires on each flood. Every firing
 * after a resolution is a new alert, an episode, linked to the one before: the second one
 * must show as the second wave on every screen, timed from its own start.
 */
const CONFIG = {
  demo: { seed: 3, loop: '20s', backfill: '0s', baselineFps: 150 },
  alerting: { showPendingAfter: '0s' },
  rules: [
    {
      name: 'russia-flood',
      metric: 'bps',
      scope: 'country',
      match: ['RU'],
      when: { above: 20_000_000 },
      severity: 'critical',
      clearFor: '2s',
      description: 'Traffic from Russia above 20 Mb/s',
    },
  ],
};

const ORDINAL = ['first', 'second', 'third', 'fourth', 'fifth'];

describe('a second wave in headless Chromium (demo, real server)', () => {
  let server: RunningServer;
  let browser: Browser;
  let kiosk: Page;
  let oncall: Page;
  const pageErrors: string[] = [];

  const fetchAlerts = async (): Promise<Alert[]> =>
    ((await (await fetch(`${server.url}/api/alerts`)).json()) as { alerts: Alert[] }).alerts;

  beforeAll(async () => {
    assertClientBuilt();
    server = await startServer({ config: CONFIG });
    await waitForHealthy(server.url);
    browser = await launchBrowser();
    await prepareContext(browser.context, server.url);
    kiosk = await browser.context.newPage();
    await kiosk.goto(`${server.url}/?kiosk=1`, { waitUntil: 'load' });
    await kiosk
      .locator('[data-testid="connection-state"][data-state="live"]')
      .waitFor({ timeout: 15_000 });
    oncall = await openOnCall(browser.context, server.url);
    for (const p of [kiosk, oncall]) p.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  let second: Alert;

  it('the kiosk takes over for the second wave, names it, and the band times it from its own start', async () => {
    // read the takeover and the band in one go: a short flood's alert resolves within seconds
    await kiosk.getByTestId('takeover-wave').waitFor({ timeout: 90_000 });
    const shown = (await kiosk.evaluate(`(() => {
      const text = (id) => document.querySelector('[data-testid="' + id + '"]')?.textContent ?? null;
      return {
        id: document.querySelector('[data-testid="takeover"]')?.getAttribute('data-alert-id'),
        takeover: text('takeover-wave'),
        vectors: document.querySelector('.takeover__vectors')?.textContent ?? '',
        strip: text('alert-wave'),
        since: document.querySelector('[data-testid="alert-since"]')?.getAttribute('data-started-at'),
      };
    })()`)) as {
      id: string;
      takeover: string;
      vectors: string;
      strip: string | null;
      since: string | null;
    };
    second = (await fetchAlerts()).find((a) => a.id === shown.id)!;
    expect(second).toBeDefined();
    const ep = second.episode!;
    // the page was open before the first flood: the first wave it takes over for is the second
    expect(ep.n).toBe(2);
    expect(ep.previousId).not.toBe(second.id);
    const gap = Math.round((second.startedAt - ep.previousResolvedAt!) / 1000);
    expect(gap).toBeLessThan(60);
    const label = `${ORDINAL[ep.n - 1]} wave, ${gap} s after the ${ORDINAL[ep.n - 2]}`;
    expect(shown.takeover).toBe(label[0]!.toUpperCase() + label.slice(1));
    // the flood is Russia's HTTPS request flood and SYNs: the takeover names a vector with its share
    expect(shown.vectors).toMatch(/^\d+%\S/);
    // the band shows the same wave, since its own start, not the first wave's
    expect(shown.strip).toBe(label);
    expect(Number(shown.since)).toBe(second.startedAt);
    expect(Number(shown.since)).toBeGreaterThan(ep.previousResolvedAt!);
  }, 120_000);

  it('the on-call page shows the second wave as such, in one incident with the first', async () => {
    const card = oncall.locator(`[data-testid="oncall-alert"][data-alert-id="${second.id}"]`);
    await card.waitFor({ timeout: 10_000 });
    const ep = second.episode!;
    const gap = Math.round((second.startedAt - ep.previousResolvedAt!) / 1000);
    expect(await card.getByTestId('alert-wave').innerText()).toBe(
      `second wave, ${gap} s after the first`,
    );
    // both waves of the incident are listed, the current (later) one first
    const incident = oncall.locator(`[data-testid="oncall-incident"]`, { has: card });
    const waves = incident.getByTestId('incident-wave');
    await waitFor(async () => (await waves.count()) >= 2, 10_000, 200);
    const numbers = await waves.evaluateAll((els) => els.map((e) => e.getAttribute('data-wave')));
    expect(numbers.slice(-2)).toEqual(['2', '1']);
    expect(
      await incident.locator(`[data-alert-id="${ep.previousId}"]`).getAttribute('data-state'),
    ).toBe('resolved');
  });

  it('notifies the second wave once, as the second wave', async () => {
    const log = await waitFor(
      async () => {
        const list = await shownLog(oncall);
        return list.some((n) => n.tag === second.id) ? list : null;
      },
      10_000,
      200,
    );
    // a few more seconds of ticks and alert updates: still one notification per wave
    await oncall.waitForTimeout(3_000);
    const tags = (await shownLog(oncall)).map((n) => n.tag);
    expect(tags.filter((t) => t === second.id)).toHaveLength(1);
    expect(new Set(tags).size).toBe(tags.length);
    expect(log.find((n) => n.tag === second.id)!.title).toBe('CRITICAL · RU Russia · second wave');
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
