import type { Alert, AlertUpdate, Severity } from '@surgewatch/shared';
import type { Logger } from 'pino';
import type { Component } from '../lifecycle.js';

export interface WebhookTarget {
  url: string;
  /** `json`: `{event, alert}`; `slack`: `{text}` for Slack-compatible incoming webhooks. */
  format: 'json' | 'slack';
  /** Alerts below this severity are not sent. */
  minSeverity: Severity;
  /** Per attempt, ms. */
  timeoutMs: number;
  /** Attempts after the first, 1 s, 2 s, 4 s … apart. */
  retries: number;
}

/** Longest a shutdown waits for deliveries under way, ms. */
const STOP_WAIT_MS = 5_000;
const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
const ICON: Record<Severity, string> = { info: 'ℹ️', warning: '⚠️', critical: '🔴' };

/** The text a Slack-compatible webhook shows for an alert event. */
export function slackText(event: 'firing' | 'resolved', a: Alert): string {
  const since = new Date(a.startedAt).toISOString().slice(11, 19);
  const head = event === 'firing' ? `${ICON[a.severity]} [${a.severity}]` : '✅ [resolved]';
  const why = a.explanation ? ` — ${a.explanation.condition}` : '';
  return `${head} ${a.description}${why} (since ${since} UTC, id ${a.id})`;
}

/**
 * Outbound webhooks: one POST per alert that starts firing (or fires again) and per alert that
 * resolves — not for pending alerts, refreshes or silenced alerts. Each delivery has a timeout
 * and retries with backoff; failures are logged, never thrown.
 */
export function createWebhooks(
  targets: readonly WebhookTarget[],
  deps: { logger: Logger; fetch?: typeof fetch; backoffMs?: number },
): Component & { onUpdate(u: AlertUpdate): void } {
  const log = deps.logger.child({ component: 'webhooks' });
  const doFetch = deps.fetch ?? fetch;
  const backoff = deps.backoffMs ?? 1_000;
  const notified = new Map<string, Alert['state']>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const deliver = async (t: WebhookTarget, body: string, id: string): Promise<void> => {
    for (let attempt = 0; attempt <= t.retries && !stopped; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, backoff * 2 ** (attempt - 1)));
      try {
        const res = await doFetch(t.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(t.timeoutMs),
        });
        if (res.ok) return;
        // a client error will not get better by retrying
        if (res.status >= 400 && res.status < 500 && res.status !== 429) {
          log.warn({ url: t.url, status: res.status, alert: id }, 'webhook refused');
          return;
        }
      } catch (err) {
        if (attempt === t.retries) log.warn({ err, url: t.url, alert: id }, 'webhook failed');
      }
    }
  };

  return {
    name: 'webhooks',
    async start() {},
    async stop() {
      // deliveries under way get a few seconds to finish; then retries give up
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((r) => (timer = setTimeout(r, STOP_WAIT_MS))),
      ]);
      clearTimeout(timer);
      stopped = true;
    },
    onUpdate(u) {
      if (u.type === 'remove') {
        notified.delete(u.id);
        return;
      }
      const a = u.alert;
      if (a.state === 'pending' || notified.get(a.id) === a.state) return;
      const first = !notified.has(a.id);
      notified.set(a.id, a.state);
      // nobody heard it fire (silenced, or fired before a restart): no resolution either
      if (a.silencedBy || (first && a.state === 'resolved')) return;
      const event = a.state;
      for (const t of targets) {
        if (RANK[a.severity] < RANK[t.minSeverity]) continue;
        const body = JSON.stringify(
          t.format === 'slack' ? { text: slackText(event, a) } : { event, alert: a },
        );
        const p = deliver(t, body, a.id).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
    },
  };
}
