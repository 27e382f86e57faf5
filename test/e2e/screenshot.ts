/**
 * Saves docs/img/wallboard.png: the wallboard at 1920×1080 against the real server running
 * the demo scenario. Build first (`pnpm build`), then:
 *   server/node_modules/.bin/tsx test/e2e/screenshot.ts [seconds-to-wait]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, waitForHealthy } from './browser.js';

const OUT = join(ROOT, 'docs/img/wallboard.png');
const settleMs = Number(process.argv[2] ?? 30) * 1000;

assertClientBuilt();
const server = await startServer({ config: { demo: { seed: 1, backfill: '15m' } } });
await waitForHealthy(server.url);
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/?window=15`, { waitUntil: 'load' });
  await page
    .locator('[data-testid="connection-state"][data-state="live"]')
    .waitFor({ timeout: 15_000 });
  await page
    .locator('[data-testid="chart"] path.recharts-area-area')
    .first()
    .waitFor({ timeout: 15_000 });
  // The demo loops calm → wave → calm; a wall screen is most telling mid-wave, so wait
  // (up to one loop) for the total to reach Gb/s, then let the trends settle.
  const deadline = Date.now() + 7 * 60_000;
  while (
    Date.now() < deadline &&
    !(await page.getByTestId('total-bps').innerText()).includes('Gb/s')
  ) {
    await page.waitForTimeout(1000);
  }
  await page.waitForTimeout(settleMs);
  mkdirSync(join(ROOT, 'docs/img'), { recursive: true });
  await page.screenshot({ path: OUT, fullPage: false });
  console.log(`saved ${OUT}`);
} finally {
  await browser.close();
  await server.stop();
}
