import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  createLoginLimiter,
  SESSION_COOKIE,
  type Audit,
  type Authenticator,
  type Principal,
} from '../auth/index.js';
import { principalOf, safeNext, sendError } from './guard.js';

const loginBody = z.union([
  z.strictObject({ token: z.string().min(1).max(1024) }),
  z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
]);

export interface AuthRouteOptions {
  /** Secure cookies (under TLS); also when a trusted proxy says the request came over HTTPS. */
  secure: boolean;
  /** Login attempts per client address per minute. */
  loginRateLimit: number;
  /** Whether the built client (login.html) can be served. */
  hasClient: boolean;
}

/**
 * `POST /api/login` (token, or username and password → session cookie), `POST /api/logout`,
 * `GET /api/me`, and `GET /login` (the login page; with `?token=` it logs in at once and
 * redirects to `next`, which is how wall screens and the first-start URL work).
 */
export function registerAuthRoutes(
  app: FastifyInstance,
  opts: AuthRouteOptions,
  deps: { auth: Authenticator; audit: Audit; now: () => number },
): void {
  const limiter = createLoginLimiter({ max: opts.loginRateLimit, windowMs: 60_000, now: deps.now });
  /** Counts an attempt; answers 429 and returns true when the address is over its limit. */
  const limited = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const wait = limiter.take(req.ip);
    if (wait === 0) return false;
    deps.audit('login_failed', { outcome: 'failed', ip: req.ip, reason: 'rate_limited' });
    void sendError(
      reply.header('retry-after', String(wait)),
      429,
      'rate_limited',
      `too many attempts: retry in ${wait} s`,
    );
    return true;
  };

  const secure = (req: FastifyRequest) => opts.secure || req.protocol === 'https';
  const startSession = (req: FastifyRequest, reply: FastifyReply, p: Principal) => {
    const { id, session } = deps.auth.sessions.create(p);
    reply.setCookie(SESSION_COOKIE, id, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(req),
      // a wall screen's session has no expiry of its own (browsers keep a cookie 400 days at most)
      expires: new Date(session.expiresAt ?? deps.now() + 400 * 86_400_000),
    });
    return session;
  };

  const attempt = async (req: FastifyRequest, body: z.infer<typeof loginBody>) => {
    const p = await deps.auth.login(body);
    const via = 'token' in body ? 'token' : 'password';
    if (!p) {
      deps.audit('login_failed', {
        outcome: 'failed',
        ip: req.ip,
        via,
        // a username is not a secret; a token is never logged
        ...('username' in body ? { user: body.username.slice(0, 64) } : {}),
      });
    } else {
      deps.audit('login', { outcome: 'ok', ip: req.ip, user: p.name, role: p.role, via: p.via });
    }
    return p;
  };

  app.post('/api/login', { config: { public: true }, bodyLimit: 4096 }, async (req, reply) => {
    if (!deps.auth.required) return sendError(reply, 400, 'bad_request', 'authentication is off');
    if (limited(req, reply)) return reply;
    const parsed = loginBody.safeParse(req.body);
    if (!parsed.success) {
      return sendError(reply, 400, 'bad_request', 'send {token} or {username, password}');
    }
    const p = await attempt(req, parsed.data);
    if (!p) return sendError(reply, 401, 'unauthorized', 'invalid credentials');
    const session = startSession(req, reply, p);
    return { user: { name: p.name, role: p.role }, expiresAt: session.expiresAt };
  });

  app.get('/login', { config: { public: true } }, async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const next = safeNext(q.next);
    // the form itself is not limited (screens behind one NAT address reload it); attempts are
    if (typeof q.token === 'string' && deps.auth.required) {
      if (limited(req, reply)) return reply;
      const p = q.token.length <= 1024 ? await attempt(req, { token: q.token }) : null;
      if (p) {
        startSession(req, reply, p);
        return reply.redirect(next, 303);
      }
      return reply.redirect(`/login?${new URLSearchParams({ error: 'invalid', next })}`, 303);
    }
    if (!opts.hasClient) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The client is not built: run `pnpm build`. Or POST {token} to /api/login.\n');
    }
    return reply.sendFile('login.html');
  });

  app.post('/api/logout', { config: { role: 'viewer' } }, async (req, reply) => {
    const p = principalOf(req);
    const res = deps.auth.authenticate({ cookie: req.headers.cookie });
    if (res.ok && res.sessionId) deps.auth.sessions.delete(res.sessionId);
    reply.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(req),
    });
    deps.audit('logout', { outcome: 'ok', ip: req.ip, user: p.name, role: p.role });
    return { ok: true };
  });

  app.get('/api/me', { config: { role: 'viewer' } }, async (req) => {
    const p = principalOf(req);
    const res = deps.auth.authenticate({ cookie: req.headers.cookie });
    return {
      user: { name: p.name, role: p.role },
      authRequired: deps.auth.required,
      expiresAt: res.ok && res.expiresAt !== undefined ? res.expiresAt : null,
    };
  });
}
