import type { Alert } from '@surgewatch/shared';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerAlertRoutes, type AlertApi } from './alertRoutes.js';
import './guard.js';

const alert = { id: 'r:total:1', state: 'firing' } as Alert;

function app() {
  const calls: unknown[] = [];
  const api: AlertApi = {
    list: (state) => (state && state !== 'firing' ? [] : [alert]),
    ack: (req, by) => {
      calls.push({ req, by });
      return (req as { id: string }).id === alert.id
        ? { ok: true, data: alert }
        : { ok: false, error: { code: 'not_found', message: 'no alert' } };
    },
    silences: () => [],
    silence: (req) =>
      (req as { reason?: string }).reason
        ? {
            ok: true,
            data: {
              id: 's1',
              matchers: {},
              durationMin: 1,
              reason: 'r',
              createdBy: 'anonymous',
              createdAt: 0,
              expiresAt: 1,
            },
          }
        : { ok: false, error: { code: 'bad_request', message: 'reason: required' } },
    unsilence: (id) =>
      id === 's1'
        ? { ok: true, data: { id } }
        : { ok: false, error: { code: 'not_found', message: 'no' } },
    rules: () => [{ name: 'r' }],
  };
  const f = Fastify();
  // the guard's part: every request here is alice, a responder
  f.decorateRequest('principal', null);
  f.addHook('onRequest', async (req) => {
    req.principal = { name: 'alice', role: 'responder', via: 'token' };
  });
  registerAlertRoutes(f, api);
  return { f, calls };
}

describe('alert routes', () => {
  it('lists alerts by state and refuses an unknown state', async () => {
    const { f } = app();
    expect((await f.inject('/api/alerts')).json()).toEqual({ alerts: [alert] });
    expect((await f.inject('/api/alerts?state=resolved')).json()).toEqual({ alerts: [] });
    const bad = await f.inject('/api/alerts?state=on-fire');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('bad_request');
  });

  it('acknowledges as the acting user with the note, 404 for an unknown id', async () => {
    const { f, calls } = app();
    const ok = await f.inject({
      method: 'POST',
      url: `/api/alerts/${encodeURIComponent(alert.id)}/ack`,
      payload: { note: 'on it' },
    });
    expect(ok.statusCode).toBe(200);
    expect(calls).toEqual([{ req: { id: alert.id, note: 'on it' }, by: 'alice' }]);
    const missing = await f.inject({ method: 'POST', url: '/api/alerts/nope/ack' });
    expect(missing.statusCode).toBe(404);
  });

  it('creates, refuses and deletes silences; lists rules', async () => {
    const { f } = app();
    const made = await f.inject({ method: 'POST', url: '/api/silences', payload: { reason: 'x' } });
    expect(made.statusCode).toBe(201);
    const bad = await f.inject({ method: 'POST', url: '/api/silences', payload: {} });
    expect(bad.statusCode).toBe(400);
    expect((await f.inject({ method: 'DELETE', url: '/api/silences/s1' })).statusCode).toBe(200);
    expect((await f.inject({ method: 'DELETE', url: '/api/silences/s2' })).statusCode).toBe(404);
    expect((await f.inject('/api/rules')).json()).toEqual({ rules: [{ name: 'r' }] });
  });
});
