import type { Alert } from '@surgewatch/shared';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createWebhooks, slackText, type WebhookTarget } from './webhooks.js';

const target: WebhookTarget = {
  url: 'http://hooks.test/x',
  format: 'json',
  minSeverity: 'warning',
  timeoutMs: 1000,
  retries: 2,
};
const base = {
  id: 'r:total:1',
  rule: 'r',
  severity: 'critical',
  state: 'firing',
  subject: {},
  description: 'All traffic: too much',
  startedAt: 0,
  silencedBy: null,
} as unknown as Alert;

function setup(statuses: number[], targets = [target]) {
  const calls: { url: string; body: unknown }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(init.body as string) });
    return new Response(null, { status: statuses.shift() ?? 200 });
  }) as unknown as typeof globalThis.fetch;
  const hooks = createWebhooks(targets, { logger: pino({ level: 'silent' }), fetch, backoffMs: 1 });
  return { hooks, calls };
}

describe('webhooks', () => {
  it('posts when an alert fires and when it resolves, once each', async () => {
    const { hooks, calls } = setup([]);
    hooks.onUpdate({ type: 'upsert', alert: { ...base, state: 'pending' } });
    hooks.onUpdate({ type: 'upsert', alert: base });
    hooks.onUpdate({ type: 'upsert', alert: base }); // a refresh
    hooks.onUpdate({ type: 'upsert', alert: { ...base, state: 'resolved' } });
    await hooks.stop();
    expect(calls.map((c) => (c.body as { event: string }).event)).toEqual(['firing', 'resolved']);
  });

  it('retries server errors, not client errors', async () => {
    const { hooks, calls } = setup([503, 500, 200]);
    hooks.onUpdate({ type: 'upsert', alert: base });
    await hooks.stop();
    expect(calls).toHaveLength(3);
    const refused = setup([404]);
    refused.hooks.onUpdate({ type: 'upsert', alert: base });
    await refused.hooks.stop();
    expect(refused.calls).toHaveLength(1);
  });

  it('gives up on an attempt after its timeout and retries it', async () => {
    const signals: AbortSignal[] = [];
    let answered = false;
    const fetch = ((_url: string, init: RequestInit) => {
      const signal = init.signal as AbortSignal;
      signals.push(signal);
      // the first two attempts hang until aborted; the third answers
      if (signals.length === 3) {
        answered = true;
        return Promise.resolve(new Response(null, { status: 200 }));
      }
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error)),
      );
    }) as unknown as typeof globalThis.fetch;
    const hooks = createWebhooks([{ ...target, timeoutMs: 50 }], {
      logger: pino({ level: 'silent' }),
      fetch,
      backoffMs: 1,
    });
    hooks.onUpdate({ type: 'upsert', alert: base });
    for (let i = 0; i < 200 && !answered; i++) await new Promise((r) => setTimeout(r, 25));
    await hooks.stop();
    expect(signals).toHaveLength(3);
    expect(signals.slice(0, 2).map((s) => (s.reason as Error).name)).toEqual([
      'TimeoutError',
      'TimeoutError',
    ]);
  });

  it('skips silenced alerts and those below the minimum severity; speaks Slack', async () => {
    const slack = { ...target, format: 'slack' as const, minSeverity: 'info' as const };
    const { hooks, calls } = setup([], [target, slack]);
    hooks.onUpdate({ type: 'upsert', alert: { ...base, id: 'a', silencedBy: 's1' } });
    hooks.onUpdate({ type: 'upsert', alert: { ...base, id: 'b', severity: 'info' } });
    await hooks.stop();
    expect(calls).toEqual([
      {
        url: target.url,
        body: { text: slackText('firing', { ...base, id: 'b', severity: 'info' }) },
      },
    ]);
    expect(slackText('firing', base)).toMatch(/^🔴 \[critical\] All traffic: too much/);
  });
});
