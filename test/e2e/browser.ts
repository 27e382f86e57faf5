import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ROOT, waitFor } from '../harness/server.js';

/** The system Chromium (Debian's package); nothing is ever downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile in a temp dir, removed on close. */
export async function launchBrowser(viewport = { width: 1920, height: 1080 }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'surgewatch-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    deviceScaleFactor: 1,
    colorScheme: 'dark',
    timezoneId: 'Europe/Paris',
    locale: 'en-GB',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Fails early, with the command to run, when the client has not been built. */
export function assertClientBuilt(): void {
  if (!existsSync(join(ROOT, 'client/dist/index.html'))) {
    throw new Error(
      'client/dist is missing: run `pnpm --filter @surgewatch/client build` (or `pnpm build`) first',
    );
  }
}

/**
 * Resolves once `url`/healthz answers 200. The server logs "listening" before the demo
 * backfill has run, and answers nothing while it does.
 */
export async function waitForHealthy(url: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      return res.ok;
    },
    timeoutMs,
    250,
  );
}
