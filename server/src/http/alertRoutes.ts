import {
  ALERT_STATES,
  type AckResult,
  type Alert,
  type AlertState,
  type Silence,
} from '@surgewatch/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** What the alert routes need; the composition root passes the alert desk. */
export interface AlertApi {
  list(state?: AlertState): Alert[];
  ack(req: unknown, by: string): AckResult<Alert>;
  silences(): Silence[];
  silence(req: unknown, by: string): AckResult<Silence>;
  unsilence(id: string): AckResult<{ id: string }>;
  rules(): unknown[];
}

/** Until authentication exists every action is taken by this user. */
export const ANONYMOUS = 'anonymous';

const STATUS = { bad_request: 400, not_found: 404 } as Record<string, number>;

function answer<T>(reply: FastifyReply, res: AckResult<T>, created = false) {
  if (res.ok) return reply.code(created ? 201 : 200).send(res.data);
  return reply.code(STATUS[res.error.code] ?? 500).send({ error: res.error });
}

/**
 * `GET /api/alerts?state=`, `POST /api/alerts/:id/ack`, `GET/POST /api/silences`,
 * `DELETE /api/silences/:id`, `GET /api/rules`.
 */
export function registerAlertRoutes(app: FastifyInstance, api: AlertApi): void {
  app.get('/api/alerts', async (req, reply) => {
    const state = (req.query as { state?: string }).state;
    if (state !== undefined && !(ALERT_STATES as readonly string[]).includes(state)) {
      return reply.code(400).send({
        error: { code: 'bad_request', message: `state: one of ${ALERT_STATES.join(', ')}` },
      });
    }
    return { alerts: api.list(state as AlertState | undefined) };
  });

  app.post('/api/alerts/:id/ack', async (req, reply) => {
    const { id } = req.params as { id: string };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const note = typeof body === 'object' && body !== null ? body.note : undefined;
    return answer(reply, api.ack(note === undefined ? { id } : { id, note }, ANONYMOUS));
  });

  app.get('/api/silences', async () => ({ silences: api.silences() }));

  app.post('/api/silences', async (req, reply) =>
    answer(reply, api.silence(req.body ?? {}, ANONYMOUS), true),
  );

  app.delete('/api/silences/:id', async (req, reply) =>
    answer(reply, api.unsilence((req.params as { id: string }).id)),
  );

  app.get('/api/rules', async () => ({ rules: api.rules() }));
}
