import type { Alert } from '@surgewatch/shared';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startServer, waitFor, type RunningServer } from '../harness/server.js';
import { createTopic, uniqueTopic } from '../kafka/topics.js';
import { produce } from './surgewatch.js';
import { encodeMessages, makeFlows } from './testFlows.js';

// The alert history lives in Kafka (surgewatch.alerts): acknowledge an alert, kill the server,
// start it again: the alert and its acknowledgement are back, under the same id.
describe('alert history in Kafka', () => {
  const brokers = inject('kafkaBrokers');
  const servers: RunningServer[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('an acknowledged alert survives a kill and a restart', async () => {
    const topic = uniqueTopic('alerts-in');
    await createTopic(brokers, topic, 1);
    await produce(
      brokers,
      topic,
      encodeMessages('surgewatch', makeFlows(3_000, Date.now()).flows, 100),
    );
    const config = {
      source: 'kafka',
      log: { level: 'info' },
      retention: { sealAfter: '10m' },
      kafka: {
        brokers,
        topic,
        groupId: uniqueTopic('g'),
        fromBeginning: true,
        partialsTopic: uniqueTopic('partials'),
        alertsTopic: uniqueTopic('alerts'),
      },
      // any traffic at all fires, and stays firing for a while after it ends
      rules: [{ name: 'any-traffic', metric: 'fps', when: { above: 0 }, clearFor: '10m' }],
    };
    const start = async () => {
      const s = await startServer({ config, timeoutMs: 60_000 });
      servers.push(s);
      return s;
    };
    const alertsOf = async (url: string) =>
      ((await (await fetch(`${url}/api/alerts`)).json()) as { alerts: Alert[] }).alerts;

    const first = await start();
    const [fired] = await waitFor(async () => {
      const list = await alertsOf(first.url);
      return list.length > 0 ? list : null;
    }, 60_000);
    expect(fired!.state).toBe('firing');
    const ack = await fetch(`${first.url}/api/alerts/${encodeURIComponent(fired!.id)}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'before the crash' }),
    });
    expect(ack.status).toBe(200);
    // the write goes out on the next turn of the event loop; give it a moment to land
    await new Promise((r) => setTimeout(r, 1_000));
    await first.kill();

    const second = await start();
    const back = await waitFor(async () => {
      const a = (await alertsOf(second.url)).find((x) => x.id === fired!.id);
      return a?.ack ? a : null;
    }, 60_000);
    expect(back.ack).toMatchObject({ by: 'anonymous', note: 'before the crash' });
    expect(back.state).toBe('firing');
    expect(back.history?.map((h) => h.event)).toContain('acknowledged');
    // one alert, not a second one for the same traffic
    expect((await alertsOf(second.url)).filter((a) => a.rule === 'any-traffic')).toHaveLength(1);
  }, 180_000);
});
