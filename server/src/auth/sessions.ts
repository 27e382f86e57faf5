import { randomBytes } from 'node:crypto';
import type { Principal } from './roles.js';

export interface Session {
  principal: Principal;
  /** ms epoch */
  expiresAt: number;
}

/**
 * Logins held in memory: an opaque 256-bit id (the cookie) → who and until when. Bounded:
 * beyond `max` the oldest session is dropped, so a login flood cannot grow memory. The clock is
 * injected so expiry is tested without waiting.
 */
export function createSessionStore(opts: { ttlMs: number; max: number; now: () => number }) {
  const sessions = new Map<string, Session>();
  return {
    create(principal: Principal): { id: string; session: Session } {
      const id = randomBytes(32).toString('base64url');
      const session = { principal, expiresAt: opts.now() + opts.ttlMs };
      sessions.set(id, session);
      while (sessions.size > opts.max) {
        const oldest = sessions.keys().next().value as string;
        sessions.delete(oldest);
      }
      return { id, session };
    },
    /** The live session with this id; an expired one is removed and reported as such. */
    get(id: string): Session | 'expired' | undefined {
      const s = sessions.get(id);
      if (!s) return undefined;
      if (s.expiresAt <= opts.now()) {
        sessions.delete(id);
        return 'expired';
      }
      return s;
    },
    delete(id: string): boolean {
      return sessions.delete(id);
    },
    /** Drops every expired session; returns how many are left. */
    sweep(): number {
      const now = opts.now();
      for (const [id, s] of sessions) if (s.expiresAt <= now) sessions.delete(id);
      return sessions.size;
    },
    size: () => sessions.size,
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
