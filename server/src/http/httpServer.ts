import { existsSync } from 'node:fs';
import type { Server as NodeHttpServer } from 'node:http';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Dimension, ErrorCode } from '@surgewatch/shared';
import Fastify, { type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { RangeResult } from '../aggregate/index.js';
import type { Component } from '../lifecycle.js';
import { registerAlertRoutes, type AlertApi } from './alertRoutes.js';
import { trafficCsv } from './csv.js';
import { trafficQuery, type TrafficQuery } from './traffic.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** Directory of the built client; missing = a page that says how to build it. */
  clientDir: string;
}

export interface HttpDeps {
  logger: Logger;
  registry: Registry;
  now: () => number;
  /** null when ready; otherwise why not (e.g. source disconnected). */
  notReadyReason: () => string | null;
  traffic: (
    q: Required<Pick<TrafficQuery, 'by' | 'metric' | 'step' | 'top'>> & {
      from: number;
      to: number;
    },
  ) => RangeResult;
  name: (by: Dimension, key: string) => string;
  /** Alerts, silences and rules; absent = no alert routes. */
  alerts?: AlertApi;
  /** Called once listening, with the bound port (PORT=0 picks a free one). */
  onListening?: (port: number) => void;
}

function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

/** Health, readiness, Prometheus metrics, the query API and the built client, on one port. */
export function createHttpServer(
  opts: HttpOptions,
  deps: HttpDeps,
): Component & { server(): NodeHttpServer; port(): number } {
  // fastify's own request logging stays off: errors are logged by the handler below
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  let port = 0;

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status =
      err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) deps.logger.error({ err }, 'request failed');
    return sendError(
      reply,
      status,
      status === 500 ? 'internal' : 'bad_request',
      status === 500 ? 'internal error' : err.message,
    );
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const reason = deps.notReadyReason();
    if (reason) return reply.code(503).send({ status: 'not ready', reason });
    return { status: 'ready' };
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(deps.registry.contentType);
    return deps.registry.metrics();
  });

  app.get('/api/traffic', async (req, reply) => {
    const parsed = trafficQuery.safeParse(req.query);
    if (!parsed.success) {
      const msg = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'query'}: ${i.message}`)
        .join('; ');
      return sendError(reply, 400, 'bad_request', msg);
    }
    const q = parsed.data;
    const to = q.to ?? Math.floor(deps.now() / 1000) * 1000;
    const from = q.from ?? to - 15 * 60_000;
    if (from >= to) return sendError(reply, 400, 'bad_request', 'from must be before to');
    if ((to - from) / q.step > 10_000)
      return sendError(reply, 400, 'bad_request', 'too many steps: raise step or narrow the range');
    const r = deps.traffic({ by: q.by, metric: q.metric, step: q.step, top: q.top, from, to });
    const body = {
      by: q.by,
      metric: q.metric,
      from: r.from,
      to: r.to,
      stepMs: r.stepMs,
      times: r.times,
      totals: r.totals,
      groups: r.groups.map((g) => ({
        key: g.key,
        name: deps.name(q.by, g.key),
        bytes: g.bytes,
        packets: g.packets,
        flows: g.flows,
        series: g.series,
      })),
    };
    if (req.headers.accept?.includes('text/csv')) {
      return reply.type('text/csv; charset=utf-8').send(trafficCsv(body));
    }
    return body;
  });

  if (deps.alerts) registerAlertRoutes(app, deps.alerts);

  const hasClient = existsSync(join(opts.clientDir, 'index.html'));
  if (hasClient) {
    app.register(fastifyStatic, { root: opts.clientDir, wildcard: false, index: ['index.html'] });
    app.setNotFoundHandler((req, reply) => {
      if (
        req.method === 'GET' &&
        !req.url.startsWith('/api/') &&
        !req.url.startsWith('/socket.io')
      ) {
        return reply.sendFile('index.html');
      }
      return sendError(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`);
    });
  } else {
    app.get('/', async (_req, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('The client is not built: run `pnpm build` (pnpm start does it for you).\n'),
    );
  }

  return {
    name: 'http',
    server: () => app.server,
    port: () => port,
    async start() {
      await app.listen({ host: opts.host, port: opts.port });
      const addr = app.server.address();
      port = typeof addr === 'object' && addr ? addr.port : opts.port;
      deps.onListening?.(port);
    },
    async stop() {
      try {
        await app.close();
      } catch (err) {
        deps.logger.warn({ err }, 'http close failed');
      }
    },
  };
}
