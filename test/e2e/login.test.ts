import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, waitForHealthy, type Browser } from './browser.js';

/** Markup and script in an operator-supplied name: it must show as text, nothing more. */
const HOSTILE =
  '<img src=x id=pwn onerror="window.__pwned=1"><script>window.__pwned=2</script>"\'&{{7*7}}';

/**
 * The secure default in a real browser: no auth configured, so the server generates an admin
 * token and prints a login URL; that URL logs the browser in, the login page works with the
 * token, the CSP holds on every page, and a hostile network name renders as text.
 */
describe('logging in with a browser, secure by default', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let stateDir: string;
  const dialogs: string[] = [];

  const config = () => ({
    demo: { seed: 7, backfill: '60s' },
    // no credential configured: the first start generates the admin token
    auth: { stateDir },
    // the demo's German visitors come from these: sources inside an own network are
    // grouped under its name, so the hostile name heads the country table
    networks: [{ name: HOSTILE, cidrs: ['85.214.0.0/16', '91.0.0.0/12', '79.192.0.0/10'] }],
  });
  const live = (p: Page) =>
    p.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: 20_000 });
  const violations = (p: Page) => p.evaluate('window.__csp') as Promise<string[]>;

  beforeAll(async () => {
    assertClientBuilt();
    stateDir = mkdtempSync(join(tmpdir(), 'surgewatch-state-'));
    server = await startServer({ config: config() });
    await waitForHealthy(server.url);
    browser = await launchBrowser();
    // every CSP violation on every page is recorded before any page script runs
    await browser.context.addInitScript({
      content: `window.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
    });
    page = await browser.context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('prints a login URL with a generated token (kept 0600) that logs the browser in', async () => {
    const line = await waitFor(() => server.logs.find((l) => /surgewatch: open http/.test(l)));
    const url = /(http:\/\/\S+\/login\?token=[\w-]+)/.exec(line)![1]!;
    expect(url).toContain(`:${server.port}/login?token=`);
    expect(statSync(join(stateDir, 'admin-token')).mode & 0o777).toBe(0o600);
    // the structured log names the file, never the token
    const token = new URL(url).searchParams.get('token')!;
    expect(server.logs.filter((l) => l.startsWith('{') && l.includes(token))).toEqual([]);

    await page.goto(url, { waitUntil: 'load' });
    expect(new URL(page.url()).pathname).toBe('/');
    await live(page);
    expect(await violations(page)).toEqual([]);
  });

  it('renders a hostile network name as text: no element made, no script run', async () => {
    await page.goto(`${server.url}/?view=traffic`, { waitUntil: 'load' });
    await live(page);
    await waitFor(
      async () => ((await page.evaluate('document.body.innerText')) as string).includes(HOSTILE),
      20_000,
    );
    expect(await page.locator('#pwn').count()).toBe(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    const scripts = await page.evaluate(
      "[...document.scripts].filter((s) => (s.textContent || '').includes('__pwned')).length",
    );
    expect(scripts).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await violations(page)).toEqual([]);
    // and the CSP is really enforced (and recorded): an injected inline script does not run
    await page.evaluate(
      "{ const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.append(s); }",
    );
    expect(await page.evaluate('window.__inline')).toBeUndefined();
    await waitFor(async () => (await violations(page)).some((v) => v.startsWith('script-src')));
  });

  it('sends a browser without a session to the login page, which logs in and comes back', async () => {
    await browser.context.clearCookies();
    await page.goto(`${server.url}/?kiosk=1`, { waitUntil: 'load' });
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/?kiosk=1');

    const input = page.getByTestId('token-form').locator('input[name="token"]');
    await input.fill('not-the-token');
    await page.getByTestId('token-form').getByRole('button', { name: 'Log in' }).click();
    await waitFor(async () => /Wrong/.test(await page.getByTestId('login-message').innerText()));

    const token = /token=([\w-]+)/.exec(server.logs.find((l) => /surgewatch: open/.test(l))!)![1]!;
    await input.fill(token);
    await page.getByTestId('token-form').getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/\?kiosk=1$/, { timeout: 10_000 });
    await live(page);
    expect(await violations(page)).toEqual([]);
  });

  it('holds the CSP on every view of the dashboard', async () => {
    for (const path of ['/?view=sources', '/?view=targets', '/oncall']) {
      await page.goto(`${server.url}${path}`, { waitUntil: 'load' });
      await live(page);
      await page.waitForTimeout(500);
      expect(await violations(page), path).toEqual([]);
    }
  });

  it('keeps the browser logged in across a restart (signed sessions, secret kept 0600)', async () => {
    expect(statSync(join(stateDir, 'session-secret')).mode & 0o777).toBe(0o600);
    await server.stop();
    server = await startServer({ config: config() });
    await waitForHealthy(server.url);
    // cookies ignore the port: the new instance gets the old session cookie
    await page.goto(`${server.url}/?kiosk=1`, { waitUntil: 'load' });
    expect(new URL(page.url()).pathname).toBe('/');
    await live(page);
  });

  it('goes back to the login page when the session is gone (socket refused)', async () => {
    // log out from inside the page, then let the socket reconnect: it is refused → /login
    await page.evaluate("fetch('/api/logout', { method: 'POST' })");
    await page.reload({ waitUntil: 'load' });
    await page.waitForURL(/\/login\?next=/, { timeout: 10_000 });
    expect(await violations(page)).toEqual([]);
  });
});
