/**
 * Saves the on-call view at 1920×1080 against the real server running the demo scenario with
 * the built-in rules (baselines warmed quickly): docs/img/oncall.png, once the second wave
 * fires and the first one's alerts have resolved, with one alert acknowledged. Build first
 * (`pnpm build`), then:
 *   server/node_modules/.bin/tsx test/e2e/oncallScreenshot.ts [path for the page's bottom]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, waitFor } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, waitForHealthy } from './browser.js';
import { prepareContext, shownAlerts } from './oncallPage.js';

const DIR = join(ROOT, 'docs/img');

assertClientBuilt();
const server = await startServer({
  config: {
    demo: { seed: 5, loop: '120s', backfill: '0s', baselineFps: 200 },
    alerting: { sampleEvery: '5s', minSamples: 3, baselineWindow: '2m' },
  },
});
await waitForHealthy(server.url);
const browser = await launchBrowser();
try {
  await prepareContext(browser.context, server.url);
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/oncall`, { waitUntil: 'load' });
  await waitFor(
    async () => {
      const list = await shownAlerts(page);
      const firing = list.filter((a) => a.state === 'firing').length;
      const resolved = list.filter((a) => a.state === 'resolved').length;
      return firing >= 2 && resolved >= 1;
    },
    400_000,
    1_000,
  );
  await page.waitForTimeout(8_000);
  const card = page
    .locator('[data-testid="oncall-alert"][data-state="firing"][data-acked="false"]')
    .first();
  await card.getByTestId('ack-open').click();
  await card.getByTestId('ack-note').fill('upstream scrubbing requested');
  await card.getByRole('button', { name: 'Acknowledge', exact: true }).click();
  await page.waitForTimeout(1_500);
  await page.evaluate(`document.querySelector('.oncall')?.scrollTo(0, 0)`);
  mkdirSync(DIR, { recursive: true });
  await page.screenshot({ path: join(DIR, 'oncall.png') });
  console.log('saved docs/img/oncall.png');
  // optional: the rest of the page, for a look at the other sections
  const rest = process.argv[2];
  if (rest) {
    await page.evaluate(`document.querySelector('.oncall')?.scrollTo(0, 1e6)`);
    await page.screenshot({ path: rest });
  }
} finally {
  await browser.close();
  await server.stop();
}
