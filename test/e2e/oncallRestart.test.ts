import type { Flow } from '@surgewatch/shared';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';
import { produce } from '../integration/surgewatch.js';
import { COUNTRIES, encodeMessages, makeFlows } from '../integration/testFlows.js';
import { freePort } from '../kafka/ports.js';
import { createTopic, uniqueTopic } from '../kafka/topics.js';
import { assertClientBuilt, launchBrowser, type Browser } from './browser.js';
import { openOnCall, prepareContext, shownAlerts, shownLog } from './oncallPage.js';

/**
 * makeFlows' flows from some countries only (flow k comes from COUNTRIES[k % 4]), ending
 * within `spanMs` before `end` (ms epoch).
 */
function flowsFrom(countries: string[], end: number, spanMs: number): Flow[] {
  return makeFlows(400, end, 0, spanMs).flows.filter((_, k) =>
    countries.includes(COUNTRIES[k % COUNTRIES.length]!),
  );
}

// Kafka mode: the alert history (with acknowledgements) is replayed from Kafka at start-up.
// The page rides through a server restart on the same address: the alerts it was told about
// are not notified again, the one that fired while it was away is shown and notified once,
// and the acknowledgement made from the page is still there.
describe('the on-call page across a server restart (Kafka)', () => {
  const brokers = inject('kafkaBrokers');
  const servers: RunningServer[] = [];
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('shows and notifies once the alert that fired while it was away', async () => {
    assertClientBuilt();
    const topic = uniqueTopic('oncall-in');
    await createTopic(brokers, topic, 1);
    const port = await freePort();
    const config = {
      source: 'kafka',
      server: { port },
      retention: { sealAfter: '10m' },
      kafka: {
        brokers,
        topic,
        groupId: uniqueTopic('oncall-g'),
        fromBeginning: true,
        partialsTopic: uniqueTopic('oncall-partials'),
        alertsTopic: uniqueTopic('oncall-alerts'),
      },
      // any traffic from these countries fires, and keeps firing well past the test
      rules: [
        {
          name: 'country-traffic',
          metric: 'fps',
          scope: 'country',
          match: ['RU', 'BR', 'DE'],
          when: { above: 0 },
          severity: 'critical',
          clearFor: '10m',
        },
      ],
    };
    const start = async () => {
      const s = await startServer({ config, timeoutMs: 60_000 });
      servers.push(s);
      return s;
    };

    await produce(
      brokers,
      topic,
      encodeMessages('surgewatch', flowsFrom(['RU', 'BR'], Date.now(), 20_000), 50),
    );
    const first = await start();
    browser = await launchBrowser();
    await prepareContext(browser.context, first.url);
    const page = await openOnCall(browser.context, first.url);

    const countryOf = async (id: string) =>
      (await page.locator(`[data-alert-id="${id}"] .oc-alert__subject`).innerText()).slice(0, 2);
    const before = await waitFor(async () => {
      const list = (await shownAlerts(page)).filter((a) => a.state === 'firing');
      return list.length === 2 ? list : null;
    }, 60_000);
    await waitFor(async () => (await shownLog(page)).length === 2, 10_000, 200);

    // acknowledge Brazil from the page
    let br = '';
    for (const a of before) if ((await countryOf(a.id)) === 'BR') br = a.id;
    const card = page.locator(`[data-alert-id="${br}"]`);
    await card.getByTestId('ack-open').click();
    await card.getByTestId('ack-note').fill('before the restart');
    await card.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await card.and(page.locator('[data-acked="true"]')).waitFor({ timeout: 2_000 });
    // the write goes out on the next turn of the event loop; give it a moment to land
    await page.waitForTimeout(1_000);
    await first.stop();
    await page
      .locator('[data-testid="connection-state"]:not([data-state="live"])')
      .waitFor({ timeout: 10_000 });

    // while the page is away, Germany starts sending: flows a few seconds ahead, as a live
    // collector's would be by the time the restarted server evaluates those seconds (records
    // landing in seconds already evaluated are counted but never alert)
    const de = flowsFrom(['DE'], Date.now() + 12_000, 4_000);
    await produce(brokers, topic, encodeMessages('surgewatch', de, 50));
    await start();

    const after = await waitFor(async () => {
      const list = (await shownAlerts(page)).filter((a) => a.state === 'firing');
      return list.length === 3 ? list : null;
    }, 60_000);
    const fresh = after.find((a) => !before.some((b) => b.id === a.id))!;
    expect(await countryOf(fresh.id)).toBe('DE');
    expect(after.find((a) => a.id === br)?.acked).toBe(true);
    expect(
      await page.locator(`[data-alert-id="${br}"]`).getByTestId('ack-status').innerText(),
    ).toMatch(/before the restart/);
    await waitFor(async () => (await shownLog(page)).some((n) => n.tag === fresh.id), 10_000, 200);
    // a few more seconds of ticks and updates: still one notification per alert
    await page.waitForTimeout(3_000);
    const tags = (await shownLog(page)).map((n) => n.tag).sort();
    expect(tags).toEqual([...before.map((a) => a.id), fresh.id].sort());
    expect(await page.title()).toBe('(2) surgewatch — on-call');
  }, 150_000);
});
