/**
 * Where to go after logging in: the `next` query parameter when it is a path on this site,
 * else the dashboard. Never another origin (`//evil.example`, `https://…`, `/\evil`).
 */
export function loginTarget(search: string): string {
  const next = new URLSearchParams(search).get('next');
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) {
    return '/';
  }
  return next;
}

/** The message the login page opens with, from the query the server redirected with. */
export function loginNotice(search: string): string {
  const q = new URLSearchParams(search);
  if (q.get('error') === 'invalid') return 'That link or token is not valid (any more).';
  if (q.get('expired') === '1') return 'Your session expired: log in again.';
  return '';
}

/** What a failed `POST /api/login` tells the person at the keyboard. */
export function loginFailure(status: number, retryAfterSec?: number): string {
  if (status === 401) return 'Wrong token, user name or password.';
  if (status === 429) return `Too many attempts: try again in ${retryAfterSec ?? 60} s.`;
  return `Login failed (HTTP ${status}).`;
}
