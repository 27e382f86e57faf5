/**
 * Screenshots of a second wave, for a look at what the room and on-call staff see: the demo
 * on a 2-minute loop with the built-in rules (usual levels learned quickly), pages open from
 * the start so the kiosk takeover raises for the new wave. Once a critical alert on the
 * website or API (the demo's large wave) fires as the second wave of its rule and subject,
 * saves at 1920×1080 and 3840×2160: the kiosk takeover and the on-call page, then, from pages
 * opened mid-wave (no takeover for what already fires), the traffic and targets views.
 * Build first (`pnpm build`), then:
 *   server/node_modules/.bin/tsx test/e2e/waveScreenshots.ts [dir (default /tmp/surgewatch-shots)]
 */
import type { Alert } from '@surgewatch/shared';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startServer, waitFor } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, waitForHealthy, type Browser } from './browser.js';
import { prepareContext } from './oncallPage.js';

const DIR = process.argv[2] ?? '/tmp/surgewatch-shots';
const SIZES = [
  { name: '1080p', width: 1920, height: 1080 },
  { name: '4k', width: 3840, height: 2160 },
] as const;

assertClientBuilt();
mkdirSync(DIR, { recursive: true });
const server = await startServer({
  config: {
    demo: { seed: 5, loop: '120s', backfill: '0s', baselineFps: 200 },
    alerting: { sampleEvery: '5s', minSamples: 3, baselineWindow: '2m' },
  },
});
await waitForHealthy(server.url);
const browsers: Browser[] = [];
try {
  const pages: { size: (typeof SIZES)[number]; kiosk: Page; oncall: Page }[] = [];
  for (const size of SIZES) {
    const browser = await launchBrowser({ width: size.width, height: size.height });
    browsers.push(browser);
    await prepareContext(browser.context, server.url);
    const open = async (path: string) => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
      return page;
    };
    pages.push({
      size,
      kiosk: await open('/?kiosk=1&view=traffic&window=5'),
      oncall: await open('/oncall'),
    });
  }
  const second = await waitFor(
    async () => {
      const res = await fetch(`${server.url}/api/alerts?state=firing`);
      const { alerts } = (await res.json()) as { alerts: Alert[] };
      return alerts.find(
        (a) =>
          a.severity === 'critical' &&
          ['203.0.113.10', '203.0.113.20'].includes(a.subject.destination ?? '') &&
          (a.episode?.n ?? 1) >= 2,
      );
    },
    600_000,
    1_000,
  );
  console.log(`second wave: ${second.id} (${second.description})`);
  // the takeover is up for the new wave; let the other alerts of the wave arrive first
  await pages[0]!.kiosk.waitForTimeout(6_000);
  for (const p of pages) {
    await p.kiosk.screenshot({ path: join(DIR, `kiosk-takeover-${p.size.name}.png`) });
    await p.oncall.screenshot({ path: join(DIR, `oncall-${p.size.name}.png`) });
  }
  // mid-wave, as a screen that was already showing it: pages opened now, all at once (the
  // wave lasts half a minute)
  const fresh = await Promise.all(
    pages.flatMap((p, i) =>
      (['traffic', 'targets'] as const).map(async (view) => {
        const page = await browsers[i]!.context.newPage();
        await page.goto(`${server.url}/?view=${view}&window=5`, { waitUntil: 'load' });
        await page.getByTestId('alert-strip').waitFor({ timeout: 15_000 });
        return { page, path: join(DIR, `${view}-${p.size.name}.png`) };
      }),
    ),
  );
  await fresh[0]!.page.waitForTimeout(2_000);
  for (const f of fresh) await f.page.screenshot({ path: f.path });
  console.log(`saved ${DIR}`);
} finally {
  for (const b of browsers) await b.close();
  await server.stop();
}
