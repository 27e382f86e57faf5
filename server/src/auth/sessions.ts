import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from './roles.js';

export interface Session {
  principal: Principal;
  /** ms epoch; null = no expiry (a wall screen's, valid while its display token is configured). */
  expiresAt: number | null;
}

/** What a session cookie carries, signed: who, how, which credential, until when, its id. */
interface Payload {
  /** name */
  n: string;
  /** via */
  v: Principal['via'];
  /** fingerprint of the credential it was opened with */
  f: string;
  /** expiry, ms epoch; 0 = none */
  e: number;
  /** random id, for logout */
  j: string;
}

/** Checks a session's principal against the configuration as it is now. */
export type ResolvePrincipal = (
  name: string,
  via: Principal['via'],
  fingerprint: string,
) => Principal | null;

/** Logged-out sessions remembered (until their expiry); beyond this the oldest is forgotten. */
const MAX_REVOKED = 100_000;
/** Longest cookie value looked at. */
const MAX_ID = 1024;

/**
 * Sessions as signed cookies (HMAC-SHA256 with a secret kept in the state directory, or given
 * to every instance alike): nothing to store per login, so a restart logs nobody out (wall
 * screens carry on) and any instance sharing the secret accepts the cookie. Every use checks
 * the principal against the current configuration through `resolve`, by name and by a
 * fingerprint of the credential: removing or changing a token, a display token or a password
 * ends its sessions at the next start. Display-token sessions (`via: display`) do not expire;
 * the rest last `ttlMs`. Logout is remembered in memory until the session's expiry. The clock is
 * injected so expiry is tested without waiting.
 */
export function createSessionStore(opts: {
  ttlMs: number;
  secret: Buffer;
  now: () => number;
  resolve: ResolvePrincipal;
  /** The credential fingerprint of a principal being logged in. */
  fingerprint: (p: Principal) => string;
}) {
  const revoked = new Map<string, number>();
  const sweep = (): number => {
    const now = opts.now();
    for (const [j, e] of revoked) if (e <= now) revoked.delete(j);
    return revoked.size;
  };
  const sign = (body: string) => createHmac('sha256', opts.secret).update(body).digest();

  const verify = (id: string): Payload | undefined => {
    if (id.length > MAX_ID) return undefined;
    const dot = id.indexOf('.');
    if (dot <= 0) return undefined;
    const body = id.slice(0, dot);
    const mac = Buffer.from(id.slice(dot + 1), 'base64url');
    const want = sign(body);
    if (mac.length !== want.length || !timingSafeEqual(mac, want)) return undefined;
    try {
      const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
      if (typeof p.n !== 'string' || typeof p.v !== 'string' || typeof p.f !== 'string')
        return undefined;
      if (typeof p.e !== 'number' || typeof p.j !== 'string') return undefined;
      return p;
    } catch {
      return undefined;
    }
  };

  return {
    create(principal: Principal): { id: string; session: Session } {
      const noExpiry = principal.via === 'display';
      const payload: Payload = {
        n: principal.name,
        v: principal.via,
        f: opts.fingerprint(principal),
        e: noExpiry ? 0 : opts.now() + opts.ttlMs,
        j: randomBytes(12).toString('base64url'),
      };
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      const id = `${body}.${sign(body).toString('base64url')}`;
      return { id, session: { principal, expiresAt: payload.e || null } };
    },
    /** The live session of this cookie; `expired` when it has run out; undefined otherwise. */
    get(id: string): Session | 'expired' | undefined {
      const p = verify(id);
      if (!p || revoked.has(p.j)) return undefined;
      if (p.e !== 0 && p.e <= opts.now()) return 'expired';
      const principal = opts.resolve(p.n, p.v, p.f);
      return principal ? { principal, expiresAt: p.e || null } : undefined;
    },
    /** Logout: the cookie stops working here (and, with no expiry, until this restarts). */
    delete(id: string): boolean {
      const p = verify(id);
      if (!p) return false;
      sweep();
      revoked.set(p.j, p.e || Number.MAX_SAFE_INTEGER);
      if (revoked.size > MAX_REVOKED) revoked.delete(revoked.keys().next().value as string);
      return true;
    },
    /** Forgets logouts of sessions that have expired anyway; returns how many are remembered. */
    sweep,
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
