import { existsSync, readdirSync } from 'node:fs';
import type { Server as NodeHttpServer } from 'node:http';
import { join, relative, sep } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { ErrorCode } from '@surgewatch/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Audit, Authenticator } from '../auth/index.js';
import type { Component } from '../lifecycle.js';
import { registerAlertRoutes, type AlertApi } from './alertRoutes.js';
import { registerAuthRoutes } from './authRoutes.js';
import { installGuard, sendError } from './guard.js';
import { registerTrafficRoutes, type TrafficDeps } from './trafficRoutes.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** Directory of the built client; missing = a page that says how to build it. */
  clientDir: string;
  /** HTTPS: PEM certificate and key (already read); absent = plain HTTP. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /** Other origins allowed to call the API with credentials; [] = same origin only. */
  corsOrigins: string[];
  /** Proxies (CIDRs) whose X-Forwarded-* headers are believed; [] = none. */
  trustedProxies: string[];
  /** `/metrics` without credentials. */
  metricsOpen: boolean;
  /** Login attempts per client address per minute. */
  loginRateLimit: number;
}

export interface HttpDeps {
  logger: Logger;
  registry: Registry;
  now: () => number;
  /** null when ready; otherwise why not (e.g. source disconnected). */
  notReadyReason: () => string | null;
  traffic: TrafficDeps['traffic'];
  name: TrafficDeps['name'];
  /** Alerts, silences and rules; absent = no alert routes. */
  alerts?: AlertApi;
  auth: Authenticator;
  audit: Audit;
  /** Called once listening, with the bound port (PORT=0 picks a free one). */
  onListening?: (port: number) => void;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  429: 'rate_limited',
};

/**
 * What the built client needs and no more: its own scripts (no inline script), styles (React
 * and the chart library set inline style attributes), images including data: URIs (the
 * favicon), and connections to this origin (the socket). No framing.
 */
function contentSecurityPolicy(tls: boolean) {
  return {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      mediaSrc: ["'self'", 'data:', 'blob:'],
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      // only under TLS: on plain HTTP it would send every asset request to https and break
      ...(tls ? { upgradeInsecureRequests: [] } : {}),
    },
  };
}

/** Security headers, CORS allowlist and cookies (plugins applying app-wide). */
function registerHardening(app: FastifyInstance, opts: HttpOptions): void {
  const tls = opts.tls !== undefined;
  app.register(fastifyHelmet, {
    contentSecurityPolicy: contentSecurityPolicy(tls),
    hsts: tls ? { maxAge: 15_552_000 } : false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  if (opts.corsOrigins.length > 0) {
    app.register(fastifyCors, {
      origin: opts.corsOrigins,
      credentials: true,
      methods: ['GET', 'POST', 'DELETE'],
    });
  }
  app.register(fastifyCookie);
}

/**
 * The built client's files that need no login: everything but its HTML pages (code and styles
 * hold no data), plus the login page. URL paths, as @fastify/static serves them.
 */
function publicClientFiles(dir: string): Set<string> {
  const out = new Set<string>();
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = `/${relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/')}`;
    if (!path.endsWith('.html') || path === '/login.html') out.add(path);
  }
  return out;
}

/** Health, readiness, Prometheus metrics, the query API and the built client, on one port. */
export function createHttpServer(
  opts: HttpOptions,
  deps: HttpDeps,
): Component & { server(): NodeHttpServer; port(): number } {
  // fastify's own request logging stays off: errors are logged by the handler below
  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    ...(opts.trustedProxies.length > 0 ? { trustProxy: opts.trustedProxies } : {}),
    // a request node's parser rejects gets the same error shape as any other, and no detail
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return;
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const body = JSON.stringify({
        error: {
          code: 'bad_request',
          message: tooLarge ? 'request headers too large' : 'malformed request',
        },
      });
      socket.end(
        `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
          'Content-Type: application/json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}),
  }) as unknown as FastifyInstance;
  let port = 0;

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status =
      err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) deps.logger.error({ err }, 'request failed');
    return sendError(
      reply,
      status,
      status === 500 ? 'internal' : (CODE_BY_STATUS[status] ?? 'bad_request'),
      status === 500 ? 'internal error' : err.message,
    );
  });

  registerHardening(app, opts);
  installGuard(
    app,
    {
      metricsOpen: opts.metricsOpen,
      corsOrigins: opts.corsOrigins,
      publicFiles: publicClientFiles(opts.clientDir),
    },
    { auth: deps.auth, audit: deps.audit },
  );
  const hasClient = existsSync(join(opts.clientDir, 'index.html'));
  // routes in a child context, registered once the plugins above are loaded
  app.register(async (app) => {
    registerRoutes(app, hasClient);
  });
  if (hasClient) {
    app.register(fastifyStatic, { root: opts.clientDir, wildcard: false, index: ['index.html'] });
  } else {
    app.get('/', async (_req, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('The client is not built: run `pnpm build` (pnpm start does it for you).\n'),
    );
  }
  // reached only past the guard: an unknown page is the dashboard (client-side routes)
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (hasClient && req.method === 'GET' && !path.startsWith('/api/') && path !== '/metrics') {
      return reply.sendFile('index.html');
    }
    return sendError(reply, 404, 'not_found', `no route ${req.method} ${path.slice(0, 200)}`);
  });

  function registerRoutes(app: FastifyInstance, hasClient: boolean) {
    const open = { config: { public: true } };
    app.get('/healthz', open, async () => ({ status: 'ok' }));

    app.get('/readyz', open, async (_req, reply) => {
      const reason = deps.notReadyReason();
      if (reason) return reply.code(503).send({ status: 'not ready', reason });
      return { status: 'ready' };
    });

    app.get('/metrics', async (_req, reply) => {
      reply.type(deps.registry.contentType);
      return deps.registry.metrics();
    });

    registerTrafficRoutes(app, deps);

    if (deps.alerts) registerAlertRoutes(app, deps.alerts, deps.audit);
    registerAuthRoutes(
      app,
      { secure: opts.tls !== undefined, loginRateLimit: opts.loginRateLimit, hasClient },
      { auth: deps.auth, audit: deps.audit, now: deps.now },
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
