import { randomBytes } from 'node:crypto';
import type { Principal } from './roles.js';

export interface Session {
  principal: Principal;
  /** ms epoch */
  expiresAt: number;
  /** A wall screen's: every use moves the expiry on, so a screen that stays connected stays in. */
  sliding: boolean;
}

/**
 * Logins held in memory: an opaque 256-bit id (the cookie) → who and until when. Bounded:
 * beyond `max` the oldest session is dropped, so a login flood cannot grow memory. The clock is
 * injected so expiry is tested without waiting. Display-token sessions (wall screens, viewer
 * only) last `displayTtlMs` from their last use instead: they run for weeks unattended.
 */
export function createSessionStore(opts: {
  ttlMs: number;
  displayTtlMs?: number;
  max: number;
  now: () => number;
}) {
  const sessions = new Map<string, Session>();
  const displayTtl = opts.displayTtlMs ?? opts.ttlMs;
  return {
    create(principal: Principal): { id: string; session: Session } {
      const id = randomBytes(32).toString('base64url');
      const sliding = principal.via === 'display';
      const session = {
        principal,
        expiresAt: opts.now() + (sliding ? displayTtl : opts.ttlMs),
        sliding,
      };
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
      const now = opts.now();
      if (s.expiresAt <= now) {
        sessions.delete(id);
        return 'expired';
      }
      if (s.sliding) s.expiresAt = now + displayTtl;
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
