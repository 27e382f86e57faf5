import {
  ALERT_STATES,
  type AckResult,
  type Alert,
  type AlertState,
  type Silence,
} from '@surgewatch/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Audit, AuditEvent } from '../auth/index.js';
import { principalOf } from './guard.js';

/** What the alert routes need; the composition root passes the alert desk. */
export interface AlertApi {
  list(state?: AlertState): Alert[];
  ack(req: unknown, by: string): AckResult<Alert>;
  silences(): Silence[];
  silence(req: unknown, by: string): AckResult<Silence>;
  unsilence(id: string): AckResult<{ id: string }>;
  rules(): unknown[];
}

const STATUS = { bad_request: 400, not_found: 404 } as Record<string, number>;

function answer<T>(reply: FastifyReply, res: AckResult<T>, created = false) {
  if (res.ok) return reply.code(created ? 201 : 200).send(res.data);
  return reply.code(STATUS[res.error.code] ?? 500).send({ error: res.error });
}

/**
 * `GET /api/alerts?state=`, `POST /api/alerts/:id/ack`, `GET/POST /api/silences`,
 * `DELETE /api/silences/:id`, `GET /api/rules`.
 */
export function registerAlertRoutes(app: FastifyInstance, api: AlertApi, audit?: Audit): void {
  const record = <T>(req: FastifyRequest, event: AuditEvent, res: AckResult<T>, target: string) => {
    const p = principalOf(req);
    audit?.(event, {
      outcome: res.ok ? 'ok' : 'failed',
      user: p.name,
      role: p.role,
      ip: req.ip,
      target,
      ...(res.ok ? {} : { reason: res.error.code }),
    });
    return res;
  };
  const responder = { config: { role: 'responder' as const } };

  app.get('/api/alerts', async (req, reply) => {
    const state = (req.query as { state?: string }).state;
    if (state !== undefined && !(ALERT_STATES as readonly string[]).includes(state)) {
      return reply.code(400).send({
        error: { code: 'bad_request', message: `state: one of ${ALERT_STATES.join(', ')}` },
      });
    }
    return { alerts: api.list(state as AlertState | undefined) };
  });

  app.post('/api/alerts/:id/ack', responder, async (req, reply) => {
    const { id } = req.params as { id: string };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const note = typeof body === 'object' && body !== null ? body.note : undefined;
    const by = principalOf(req).name;
    const res = api.ack(note === undefined ? { id } : { id, note }, by);
    return answer(reply, record(req, 'ack', res, id.slice(0, 512)));
  });

  app.get('/api/silences', responder, async () => ({ silences: api.silences() }));

  app.post('/api/silences', responder, async (req, reply) => {
    const res = api.silence(req.body ?? {}, principalOf(req).name);
    return answer(reply, record(req, 'silence_create', res, res.ok ? res.data.id : ''), true);
  });

  app.delete('/api/silences/:id', responder, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    return answer(reply, record(req, 'silence_delete', api.unsilence(id), id.slice(0, 512)));
  });

  app.get('/api/rules', async () => ({ rules: api.rules() }));
}
