import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, type Browser } from './browser.js';

// The traffic chart tells when alerts fired and what normal is: a short demo loop whose
// generated history already holds both waves, so detection has fired and resolved alerts
// (and learned the total's baseline) by the time the page opens.
describe('the traffic chart: firing periods and the baseline band (demo, Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    assertClientBuilt();
    server = await startServer({
      config: {
        demo: { seed: 5, loop: '120s', backfill: '4m', baselineFps: 200 },
        alerting: { sampleEvery: '5s', minSamples: 3, baselineWindow: '2m', refireGrace: '20s' },
      },
    });
    await waitFor(async () => (await fetch(`${server.url}/readyz`)).status === 200, 60_000);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shades each firing period, labelled in words, and draws the band', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/?window=5`, { waitUntil: 'load' });
    const chart = page.getByTestId('chart');
    // labels render a moment after their areas; detection may still be working through history
    const labels = await waitFor(async () => {
      const l = await chart.locator('svg text').filter({ hasText: '⚠' }).allTextContents();
      return l.length > 0 ? l : null;
    }, 45_000);
    expect(labels.every((l) => /^⚠ (critical|warning|info)( ×\d+)?$/.test(l.trim()))).toBe(true);
    expect(await chart.locator('.recharts-reference-area').count()).toBeGreaterThanOrEqual(
      labels.length,
    );
    // the periods match what the server says fired: each shaded stretch is inside the window
    const { alerts } = (await (await fetch(`${server.url}/api/alerts`)).json()) as {
      alerts: { state: string; severity: string }[];
    };
    const fired = new Set(alerts.filter((a) => a.state !== 'pending').map((a) => a.severity));
    for (const l of labels) expect(fired.has(/⚠ (\w+)/.exec(l)![1]!)).toBe(true);

    await page.getByTestId('legend-band').waitFor({ timeout: 30_000 });
    const dashes = await waitFor(async () => {
      const d = await chart
        .locator('path.recharts-area-curve')
        .evaluateAll((els) => els.map((e) => e.getAttribute('stroke-dasharray') ?? ''));
      return d.includes('6 4') ? d : null;
    }, 30_000);
    expect(dashes).toContain('6 4');
    await page.close();
  });
});
