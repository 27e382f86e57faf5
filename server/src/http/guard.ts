import type { ErrorCode } from '@surgewatch/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  allows,
  type Audit,
  type Authenticator,
  type Principal,
  type Role,
} from '../auth/index.js';

/** Per-route access, in the route's `config`: public, or the least role that may call it. */
export interface Access {
  public?: boolean;
  role?: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    public?: boolean;
    role?: Role;
  }
}

export function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

/** The acting user; routes behind the guard always have one. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error('route reached without a principal');
  return req.principal;
}

/** `next` for a redirect after login: a local path only, never another site. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return '/';
  if (next.includes('\\') || next.length > 2048) return '/';
  return next;
}

/** Whether an Origin header names this server itself (scheme aside) or an allowed origin. */
export function originAllowed(origin: string, host: string | undefined, allow: string[]): boolean {
  if (allow.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Every request passes here first. Public: routes marked so, the built client's files except
 * its dashboard page (scripts, styles, the service worker, the login page); `/metrics` when configured open. Everything else needs a principal with at
 * least the route's role (viewer by default, unknown paths included): an API call without one
 * gets 401, a page gets a redirect to /login that comes back afterwards; too low a role gets
 * 403. State-changing requests from another origin are refused (with SameSite=Strict cookies,
 * defence in depth).
 */
export function installGuard(
  app: FastifyInstance,
  opts: {
    metricsOpen: boolean;
    corsOrigins: string[];
    /** URL paths of the built client's files anyone may fetch: code, styles, the login page. */
    publicFiles: ReadonlySet<string>;
  },
  deps: { auth: Authenticator; audit: Audit },
): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    const cfg = req.routeOptions.config as Access | undefined;
    const route = req.routeOptions.url;
    // a file route of the built client (never a path that merely looks like one: the 404
    // fallback serves the dashboard and is not public)
    const isAsset = route !== undefined && opts.publicFiles.has(route);
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers.origin !== undefined) {
      if (!originAllowed(req.headers.origin, req.headers.host, opts.corsOrigins)) {
        deps.audit('denied', {
          outcome: 'failed',
          ip: req.ip,
          target: `${req.method} ${path}`,
          reason: 'origin',
        });
        return sendError(reply, 403, 'forbidden', 'cross-origin request refused');
      }
    }
    if (cfg?.public || isAsset || (path === '/metrics' && opts.metricsOpen)) return;
    const res = deps.auth.authenticate({
      cookie: req.headers.cookie,
      authorization: req.headers.authorization,
      remoteAddress: req.socket.remoteAddress,
      headers: req.headers,
    });
    if (!res.ok) {
      if (res.reason !== 'missing') {
        deps.audit('denied', {
          outcome: 'failed',
          ip: req.ip,
          target: `${req.method} ${path}`,
          reason: res.reason,
        });
      }
      const isPage = req.method === 'GET' && !path.startsWith('/api/') && path !== '/metrics';
      if (isPage) {
        const q = new URLSearchParams({ next: safeNext(req.url) });
        if (res.reason === 'expired') q.set('expired', '1');
        return reply.redirect(`/login?${q.toString()}`, 302);
      }
      const message =
        res.reason === 'expired' ? 'session expired: log in again' : 'authentication required';
      return sendError(reply, 401, 'unauthorized', message);
    }
    const needed = cfg?.role ?? 'viewer';
    if (!allows(res.principal.role, needed)) {
      deps.audit('denied', {
        outcome: 'failed',
        user: res.principal.name,
        role: res.principal.role,
        ip: req.ip,
        target: `${req.method} ${path}`,
        reason: `needs ${needed}`,
      });
      return sendError(reply, 403, 'forbidden', `this needs the ${needed} role`);
    }
    req.principal = res.principal;
  });
}
