import type { TrafficRange } from '@surgewatch/shared';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, waitFor, type RunningServer } from '../harness/server.js';
import { assertClientBuilt, launchBrowser, waitForHealthy, type Browser } from './browser.js';

const ARTEFACTS = join(ROOT, 'test-results');

async function traffic(url: string, q: Record<string, string>): Promise<TrafficRange> {
  const res = await fetch(`${url}/api/traffic?${new URLSearchParams(q).toString()}`);
  expect(res.status).toBe(200);
  return (await res.json()) as TrafficRange;
}

describe('drill-down into a source country (real server, demo scenario, Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    assertClientBuilt();
    // no rules: a critical alert's full-screen takeover would cover what the test clicks
    server = await startServer({ config: { demo: { seed: 3, backfill: '120s' }, rules: [] } });
    await waitForHealthy(server.url);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${server.url}/?window=5`, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("the API's breakdown of a country adds up to that country, exactly", async () => {
    const to = Math.floor(Date.now() / 1000) * 1000 - 15_000;
    const range = { from: String(to - 60_000), to: String(to), step: '10000', top: '1000' };
    const all = await traffic(server.url, { ...range, by: 'country' });
    const heaviest = all.groups.find((g) => g.key !== 'other');
    expect(heaviest).toBeDefined();
    const country = heaviest!.key;
    for (const by of ['asn', 'destination', 'service', 'vector']) {
      const r = await traffic(server.url, { ...range, by, country, top: '5' });
      expect(r.country).toBe(country);
      expect(r.totals).toEqual({
        bytes: heaviest!.bytes,
        packets: heaviest!.packets,
        flows: heaviest!.flows,
      });
      const sum = (k: 'bytes' | 'packets' | 'flows') => r.groups.reduce((s, g) => s + g[k], 0);
      expect([sum('bytes'), sum('packets'), sum('flows')]).toEqual([
        heaviest!.bytes,
        heaviest!.packets,
        heaviest!.flows,
      ]);
      expect(r.groups.filter((g) => g.key !== 'other').length).toBeLessThanOrEqual(5);
    }
    const sources = await traffic(server.url, { ...range, by: 'source', country, top: '5' });
    const named = sources.groups.filter((g) => g.key !== 'other');
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((g) => /^\d+\.\d+\.\d+\.\d+$|:/.test(g.key))).toBe(true);
    expect(sources.groups.reduce((s, g) => s + g.bytes, 0)).toBe(heaviest!.bytes);
  });

  it('refuses what it cannot answer, saying why', async () => {
    const bad = async (q: string) => {
      const res = await fetch(`${server.url}/api/traffic?${q}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error.code).toBe('bad_request');
      return body.error.message;
    };
    expect(await bad('by=source')).toMatch(/country/);
    expect(await bad('by=region&country=RU')).toMatch(/asn, destination, service, vector, source/);
    expect(await bad('by=source&country=RU&metric=pps')).toMatch(/bps/);
  });

  it('opens from the country table, shows the four breakdowns, and Back closes it', async () => {
    const row = page.locator('[data-testid="country-table"] tbody tr[data-drill]').first();
    await row.waitFor({ timeout: 20_000 });
    const country = (await row.getAttribute('data-country'))!;
    await row.click();
    const panel = page.getByTestId('drilldown');
    await panel.waitFor();
    expect(await panel.getAttribute('data-country')).toBe(country);
    expect(new URL(page.url()).searchParams.get('drill')).toBe(`country:${country}`);
    for (const t of ['drill-asn', 'drill-source', 'drill-destination', 'drill-vector']) {
      await waitFor(
        async () => (await page.locator(`[data-testid="${t}"] tbody tr[data-key]`).count()) > 0,
      );
    }
    const firstAsn = await page
      .locator('[data-testid="drill-asn"] tbody tr[data-key]')
      .first()
      .innerText();
    expect(firstAsn).toMatch(/AS\d+/);
    expect(firstAsn).toMatch(/b\/s/);
    expect(firstAsn).toMatch(/%/);
    await waitFor(
      async () =>
        (await page.locator('[data-testid="drill-chart"] path.recharts-area-area').count()) > 0,
    );
    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTEFACTS, 'drilldown.png') });

    // the chart's grouping is a URL setting too
    await page
      .getByRole('group', { name: 'Chart grouping' })
      .getByRole('button', { name: 'Vectors' })
      .click();
    expect(new URL(page.url()).searchParams.get('drillBy')).toBe('vector');

    await page.goBack();
    await page.getByTestId('view-traffic').waitFor();
    expect(new URL(page.url()).searchParams.get('drill')).toBeNull();
    expect(pageErrors).toEqual([]);
  });

  it('a link opens the same drill-down; kiosk mode ignores it', async () => {
    const p = await browser.context.newPage();
    await p.goto(`${server.url}/?drill=country:RU&drillBy=vector`, { waitUntil: 'load' });
    await p.getByTestId('drilldown').waitFor();
    expect(await p.getByTestId('drilldown').getAttribute('data-country')).toBe('RU');
    expect(await p.getByRole('button', { name: 'Vectors' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await p.keyboard.press('Escape');
    await p.getByTestId('view-traffic').waitFor();
    await p.goto(`${server.url}/?kiosk=1&drill=country:RU`, { waitUntil: 'load' });
    await p.getByTestId('view-traffic').waitFor();
    expect(await p.getByTestId('drilldown').count()).toBe(0);
    await p.close();
  });
});
