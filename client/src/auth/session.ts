import type { Socket } from 'socket.io-client';

/** The roles, least first: viewer < responder < admin. */
export type Role = 'viewer' | 'responder' | 'admin';

/** `GET /api/me`: who this browser is logged in as. */
export interface Me {
  user: { name: string; role: Role };
  /** False when the server runs with `auth: { mode: none }`. */
  authRequired: boolean;
  /** When the session ends (ms epoch); null for a bearer token or no auth. */
  expiresAt: number | null;
}

const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };

/** Whether `role` may do what `needed` may (e.g. a viewer may not acknowledge). */
export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** The login page, coming back to `path + search` afterwards. */
export function loginUrl(loc: Pick<Location, 'pathname' | 'search'>): string {
  return `/login?${new URLSearchParams({ next: `${loc.pathname}${loc.search}` }).toString()}`;
}

/** Leaves for the login page (which brings the user back here). */
export function goToLogin(loc: Pick<Location, 'pathname' | 'search' | 'assign'> = location): void {
  loc.assign(loginUrl(loc));
}

/**
 * Who am I: `null` when not logged in (401), after which callers usually `goToLogin()`.
 * Throws on other failures (the server is down: stay and retry rather than log out).
 */
export async function fetchMe(fetchFn: typeof fetch = fetch): Promise<Me | null> {
  const res = await fetchFn('/api/me', { credentials: 'same-origin' });
  if (res.status === 401) return null;
  if (!res.ok) throw new Error(`/api/me answered ${res.status}`);
  return (await res.json()) as Me;
}

/**
 * Calls `onUnauthorized` when the server refuses the socket's handshake for want of a valid
 * session (socket.io's connect_error with message `unauthorized`). Returns the unsubscribe.
 */
export function onSocketUnauthorized(
  socket: Pick<Socket, 'on' | 'off'>,
  onUnauthorized: () => void,
) {
  const handler = (err: Error) => {
    if (err.message === 'unauthorized') onUnauthorized();
  };
  socket.on('connect_error', handler);
  return () => {
    socket.off('connect_error', handler);
  };
}
