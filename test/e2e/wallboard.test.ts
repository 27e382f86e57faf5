import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, waitForHealthy, type Browser } from './browser.js';

/** The page's total traffic as shown, e.g. "4.21 Gb/s". */
async function totalBps(page: Page): Promise<string> {
  return (await page.getByTestId('total-bps').innerText()).replace(/\s+/g, ' ').trim();
}

describe('the wallboard in headless Chromium against the real server (demo scenario)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const historyResponses: { url: string; status: number }[] = [];

  beforeAll(async () => {
    assertClientBuilt();
    server = await startServer({ config: { demo: { seed: 7, backfill: '120s' } } });
    await waitForHealthy(server.url);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    // The demo's attacks fire critical alerts, and one that starts while a test runs takes
    // the screen over, as it should: it is dismissed before an action it would cover (the
    // takeover's own behaviour is tested in client/src/features/wallboard).
    await page.addLocatorHandler(page.getByTestId('takeover'), async (takeover) => {
      await takeover.getByRole('button', { name: 'Dismiss' }).click();
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    page.on('response', (res) => {
      if (res.url().includes('/api/traffic')) {
        historyResponses.push({ url: res.url(), status: res.status() });
      }
    });
    await page.goto(server.url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('loads the page and says it is live, in words', async () => {
    await expect(page.title()).resolves.toMatch(/surgewatch/);
    const badge = page.getByTestId('connection-state');
    await badge.and(page.locator('[data-state="live"]')).waitFor({ timeout: 15_000 });
    expect(await badge.innerText()).toMatch(/live/i);
  });

  it('draws the stacked chart from the snapshot and ticks', async () => {
    // the page may open while the demo history is still being generated: the first snapshot
    // can hold a few seconds of one country, and the rest comes with the window sent again
    // once the source is ready
    const d = await waitFor(async () => {
      const paths = await page
        .locator('[data-testid="chart"] path.recharts-area-area')
        .evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''));
      return paths.filter((p) => p.length > 20).length >= 2 ? paths : null;
    });
    // at least one country plus "other", each drawn
    expect(d.filter((p) => p.length > 20).length).toBeGreaterThanOrEqual(2);
    const legend = await page.locator('[data-testid="chart"] .legend__item').allInnerTexts();
    expect(legend.some((t) => /^[A-Z]{2}\s/.test(t.trim()))).toBe(true);
  });

  it('shows a tooltip with every band of the stack on hover', async () => {
    const plot = page.locator('[data-testid="chart"] .chart-panel__plot');
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.5);
    const tip = page.locator('.chart-tooltip');
    await tip.waitFor({ timeout: 10_000 });
    expect(await tip.innerText()).toMatch(/UTC/);
    expect(await tip.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    await page.mouse.move(0, 0);
    await tip.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('shows a non-zero total that moves with the ticks', async () => {
    const first = await waitFor(async () => {
      const text = await totalBps(page);
      return /^[1-9]|^0\.\d*[1-9]/.test(text) ? text : null;
    });
    expect(first).toMatch(/^\d+(\.\d+)? [kMGTP]?b\/s$/);
    const changed = await waitFor(
      async () => ((await totalBps(page)) !== first ? totalBps(page) : null),
      8_000,
      250,
    );
    expect(changed).not.toBe(first);
  });

  it('lists the top source countries with names and shares', async () => {
    const rows = page.locator('[data-testid="country-table"] tbody tr[data-country]');
    await waitFor(async () => (await rows.count()) > 0);
    const text = await rows.first().innerText();
    expect(text).toMatch(/%/);
    expect(text).toMatch(/b\/s/);
  });

  it('shows the source health and no stale banner while live', async () => {
    const health = await page.getByTestId('source-health').innerText();
    expect(health).toMatch(/Demo scenario/);
    expect(health).toMatch(/Connected/);
    expect(await page.getByTestId('stale-banner').count()).toBe(0);
  });

  it('lists the top networks, targets and vectors with their change against normal', async () => {
    await page.getByRole('button', { name: 'Sources' }).click();
    expect(page.url()).toMatch(/view=sources/);
    const asnRows = page.locator('[data-testid="asn-table"] tbody tr[data-key]');
    await waitFor(async () => (await asnRows.count()) > 0);
    expect(await asnRows.first().innerText()).toMatch(/AS\d+[\s\S]*b\/s[\s\S]*(×\d|new)/i);
    // The map shades the sending countries and labels the largest with code and rate.
    const map = page.getByTestId('world-map');
    await waitFor(async () => (await map.locator('path[data-class]').count()) > 0);
    expect(await map.locator('.map-label').first().textContent()).toMatch(/^[A-Z]{2}.*b\/s/);

    await page.getByRole('button', { name: 'Targets' }).click();
    for (const id of ['destination-table', 'vector-table']) {
      const rows = page.locator(`[data-testid="${id}"] tbody tr[data-key]`);
      await waitFor(async () => (await rows.count()) > 0);
      expect(await rows.first().innerText()).toMatch(/b\/s[\s\S]*(×\d|new)/i);
    }
    const mix = page.getByTestId('mix-chart');
    await waitFor(async () => (await mix.locator('.recharts-bar-rectangle').count()) > 0);
    expect(await mix.locator('.legend__item').first().innerText()).toMatch(/%/);
    expect(await page.getByTestId('alert-panel').innerText()).toMatch(/Alerts/);

    await page.getByRole('button', { name: 'Traffic' }).click();
    await page.getByTestId('chart').waitFor();
  });

  it('fills the 60-minute window beyond the snapshot from the REST API', async () => {
    await waitFor(async () => historyResponses.length > 0);
    const { url, status } = historyResponses[0]!;
    expect(status).toBe(200);
    const q = new URL(url).searchParams;
    expect(q.get('by')).toBe('country');
    expect(Number(q.get('to')) - Number(q.get('from'))).toBeGreaterThan(40 * 60_000);
    await page.getByRole('button', { name: '60 min' }).click();
    expect(page.url()).toMatch(/window=60/);
    await page.locator('[data-testid="chart"] path.recharts-area-area').first().waitFor();
  });

  it('links to the on-call page, and the on-call page back', async () => {
    const p = await browser.context.newPage();
    await p.goto(server.url, { waitUntil: 'load' });
    await p.getByTestId('oncall-link').click();
    await p.getByTestId('oncall').waitFor();
    expect(new URL(p.url()).pathname).toBe('/oncall');
    await p.close();
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('says DATA STALE and reconnecting once the server goes away', async () => {
    await server.stop();
    await page.getByTestId('stale-banner').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('stale-banner').innerText()).toMatch(/DATA STALE/);
    const state = await page.getByTestId('connection-state').getAttribute('data-state');
    expect(['reconnecting', 'connecting']).toContain(state);
  });
});
