import ipaddr from 'ipaddr.js';
import type { AuthConfig } from '../config/schema.js';
import { createHash } from 'node:crypto';
import { hashToken, verifySecret } from './hash.js';
import type { Principal, Role } from './roles.js';
import { createSessionStore, type SessionStore } from './sessions.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'surgewatch_session';

/** What a request or a socket handshake carries that may prove who it is. */
export interface Credentials {
  /** The raw `Cookie` header. */
  cookie?: string | undefined;
  /** The raw `Authorization` header (`Bearer <token>`). */
  authorization?: string | undefined;
  /** socket.io's `auth.token`. */
  token?: unknown;
  /** The peer's address (the proxy header is trusted from configured addresses only). */
  remoteAddress?: string | undefined;
  headers?: Record<string, string | string[] | undefined>;
}

export type AuthResult =
  | { ok: true; principal: Principal; sessionId?: string; expiresAt?: number | null }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

export type LoginRequest = { token: string } | { username: string; password: string };

interface TokenEntry {
  name: string;
  role: Role;
  via: Principal['via'];
  hash: string;
}

/** Longest secret looked at: anything longer is refused before hashing. */
const MAX_SECRET = 1024;

/** Reads one cookie from a raw `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Turns credentials into a principal: a session cookie, a bearer token (socket `auth.token`
 * too), or a trusted proxy's user header. `mode: none` makes everyone an anonymous admin.
 * `generatedToken` is the first-start admin token (already hashed), used when nothing else is
 * configured.
 */
export function createAuthenticator(
  config: AuthConfig,
  deps: {
    now: () => number;
    generatedTokenHash?: string | undefined;
    /** Signs session cookies; the same on every instance that should accept them. */
    sessionSecret: Buffer;
  },
) {
  const entries: TokenEntry[] = [
    ...config.tokens.map((t) => ({
      name: t.name,
      role: t.role,
      via: 'token' as const,
      hash: t.hash ?? '',
    })),
    ...config.displayTokens.map((t) => ({
      name: t.name,
      role: 'viewer' as const,
      via: 'display' as const,
      hash: t.hash,
    })),
    ...(deps.generatedTokenHash
      ? [
          {
            name: 'admin',
            role: 'admin' as const,
            via: 'generated' as const,
            hash: deps.generatedTokenHash,
          },
        ]
      : []),
  ].filter((e) => e.hash !== '');
  // sha256 hashes are looked up directly: one hash per request, whatever the number of tokens
  const fast = new Map(entries.filter((e) => e.hash.startsWith('sha256$')).map((e) => [e.hash, e]));
  // scrypt-hashed tokens cost ~50 ms each: checked at login only (rate-limited), never per request
  const slow = entries.filter((e) => e.hash.startsWith('scrypt$'));
  const trusted = (config.proxy?.trusted ?? []).map((c) => ipaddr.parseCIDR(c));

  const principalOf = (e: TokenEntry): Principal => ({ name: e.name, role: e.role, via: e.via });

  /** The stored hash a session's principal logged in with, as configured now. */
  const credentialOf = (
    name: string,
    via: Principal['via'],
  ): { hash: string; role: Role } | null => {
    if (via === 'password') {
      const u = config.users.find((x) => x.username === name);
      return u?.password ? { hash: u.password, role: u.role } : null;
    }
    const e = entries.find((x) => x.name === name && x.via === via);
    return e ? { hash: e.hash, role: e.role } : null;
  };
  const fingerprintOf = (hash: string) =>
    createHash('sha256').update(hash).digest('base64url').slice(0, 16);

  const sessions: SessionStore = createSessionStore({
    ttlMs: config.sessionTtl,
    secret: deps.sessionSecret,
    now: deps.now,
    fingerprint: (p) => {
      const c = credentialOf(p.name, p.via);
      return c ? fingerprintOf(c.hash) : '';
    },
    // a session holds while its credential is still configured, unchanged; its role is today's
    resolve: (name, via, fingerprint) => {
      const c = credentialOf(name, via);
      if (!c || fingerprint === '' || fingerprintOf(c.hash) !== fingerprint) return null;
      return { name, role: via === 'display' ? 'viewer' : c.role, via };
    },
  });

  const byToken = (token: unknown): Principal | null => {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_SECRET) return null;
    const e = fast.get(hashToken(token));
    return e ? principalOf(e) : null;
  };

  const fromProxy = (c: Credentials): Principal | null => {
    if (!config.proxy || !c.remoteAddress) return null;
    const raw = c.headers?.[config.proxy.header];
    const user = Array.isArray(raw) ? undefined : raw?.trim();
    if (!user || user.length > 256) return null;
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      addr = ipaddr.process(c.remoteAddress);
    } catch {
      return null;
    }
    if (!trusted.some(([net, bits]) => addr.kind() === net.kind() && addr.match(net, bits)))
      return null;
    const known = config.users.find((u) => u.username === user);
    return { name: user, role: known?.role ?? config.proxy.defaultRole, via: 'proxy' };
  };

  return {
    /** Whether credentials are required at all. */
    required: config.mode !== 'none',
    sessions,

    /** Who a request is: session cookie first, then bearer token, then the proxy header. */
    authenticate(c: Credentials): AuthResult {
      if (config.mode === 'none') {
        return { ok: true, principal: { name: 'anonymous', role: 'admin', via: 'none' } };
      }
      let failed: 'invalid' | 'expired' | undefined;
      const sid = readCookie(c.cookie, SESSION_COOKIE);
      if (sid) {
        const s = sid.length <= MAX_SECRET ? sessions.get(sid) : undefined;
        if (s === 'expired') failed = 'expired';
        else if (s)
          return { ok: true, principal: s.principal, sessionId: sid, expiresAt: s.expiresAt };
        else failed = 'invalid';
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(c.authorization ?? '')?.[1];
      const token = bearer ?? c.token;
      if (token !== undefined) {
        const p = byToken(token);
        if (p) return { ok: true, principal: p };
        failed = 'invalid';
      }
      const proxied = fromProxy(c);
      if (proxied) return { ok: true, principal: proxied };
      return { ok: false, reason: failed ?? 'missing' };
    },

    /** Exchanges a token or a username and password for a principal; null when they are wrong. */
    async login(req: LoginRequest): Promise<Principal | null> {
      if ('token' in req) {
        const p = byToken(req.token);
        if (p || req.token.length > MAX_SECRET) return p;
        for (const e of slow) if (await verifySecret(req.token, e.hash)) return principalOf(e);
        return null;
      }
      if (req.password.length > MAX_SECRET) return null;
      const user = config.users.find((u) => u.username === req.username);
      // a missing user costs the same scrypt as a wrong password: no username oracle by timing
      const hash = user?.password ?? DUMMY_HASH;
      const ok = await verifySecret(req.password, hash);
      return ok && user?.password
        ? { name: user.username, role: user.role, via: 'password' }
        : null;
    },

    /** Whether a principal authenticated earlier (e.g. a socket's) is still valid now. */
    stillValid(sessionId: string | undefined): boolean {
      if (config.mode === 'none' || sessionId === undefined) return true;
      const s = sessions.get(sessionId);
      return s !== undefined && s !== 'expired';
    },
  };
}

/** scrypt of a random password: verified against when the user does not exist. */
const DUMMY_HASH =
  'scrypt$16384$8$1$c3VyZ2V3YXRjaC1kdW1teQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export type Authenticator = ReturnType<typeof createAuthenticator>;
