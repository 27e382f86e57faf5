/**
 * Saves the wallboard at 1920×1080 against the real server running the demo scenario,
 * mid-attack: docs/img/wallboard.png (the README's, traffic view) plus one image per other
 * view (wallboard-sources.png, wallboard-targets.png). Build first (`pnpm build`), then:
 *   server/node_modules/.bin/tsx test/e2e/screenshot.ts [seconds-to-settle]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, waitForHealthy } from './browser.js';

const DIR = join(ROOT, 'docs/img');
const settleMs = Number(process.argv[2] ?? 20) * 1000;
/** "Mid-attack": the demo's large wave runs above this, its calm and small wave below. */
const ATTACK_BPS = 10e9;
const UNITS: Record<string, number> = { b: 1, kb: 1e3, Mb: 1e6, Gb: 1e9, Tb: 1e12 };
/**
 * The chart window shown, and how long the server must have run live first: the demo's
 * backfill does not join up with its live feed, so the window must hold live data only.
 */
const WINDOW_MIN = 5;
const LIVE_FOR_MS = (WINDOW_MIN + 0.5) * 60_000;

/** "21.8 Gb/s" → 21.8e9. */
function parseBitRate(text: string): number {
  const m = /([\d.]+)\s*([kMGT]?b)\/s/.exec(text);
  return m ? Number(m[1]) * (UNITS[m[2]!] ?? 1) : 0;
}

assertClientBuilt();
const server = await startServer({ config: { demo: { seed: 1, backfill: '15m' } } });
await waitForHealthy(server.url);
const browser = await launchBrowser();
try {
  const page = await browser.context.newPage();
  const started = Date.now();
  await page.goto(`${server.url}/?window=${WINDOW_MIN}&view=traffic`, { waitUntil: 'load' });
  await page
    .locator('[data-testid="connection-state"][data-state="live"]')
    .waitFor({ timeout: 15_000 });
  // the generated history arrives once detection has worked through it as well
  await page
    .locator('[data-testid="chart"] path.recharts-area-area')
    .first()
    .waitFor({ timeout: 180_000 });
  // The demo loops calm → small wave → calm → large wave; a wall screen is most telling
  // in the large one, so wait (up to one loop after the live window has filled) for it,
  // then let the trends settle.
  const deadline = started + LIVE_FOR_MS + 7 * 60_000;
  while (
    Date.now() < deadline &&
    (Date.now() - started < LIVE_FOR_MS ||
      parseBitRate(await page.getByTestId('total-bps').innerText()) < ATTACK_BPS)
  ) {
    await page.waitForTimeout(1000);
  }
  await page.waitForTimeout(settleMs);
  mkdirSync(DIR, { recursive: true });
  await page.screenshot({ path: join(DIR, 'wallboard.png') });
  for (const view of ['sources', 'targets']) {
    await page.getByRole('button', { name: view[0]!.toUpperCase() + view.slice(1) }).click();
    await page.waitForTimeout(2_500);
    await page.screenshot({ path: join(DIR, `wallboard-${view}.png`) });
  }
  console.log(`saved ${DIR}/wallboard{,-sources,-targets}.png`);
} finally {
  await browser.close();
  await server.stop();
}
