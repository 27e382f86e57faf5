import { describe, expect, it, vi } from 'vitest';
import { fetchMe, goToLogin, loginUrl, onSocketUnauthorized, roleAllows } from './session.js';

describe('the client session', () => {
  it('goes to /login and comes back to the same path and query', () => {
    expect(loginUrl({ pathname: '/', search: '?kiosk=1' })).toBe('/login?next=%2F%3Fkiosk%3D1');
    const assign = vi.fn();
    goToLogin({ pathname: '/oncall', search: '', assign });
    expect(assign).toHaveBeenCalledWith('/login?next=%2Foncall');
  });

  it('reads /api/me: the user, null when not logged in, a throw when the server fails', async () => {
    const me = { user: { name: 'ops', role: 'viewer' }, authRequired: true, expiresAt: 1 };
    const ok = vi.fn(async () => new Response(JSON.stringify(me), { status: 200 }));
    expect(await fetchMe(ok as unknown as typeof fetch)).toEqual(me);
    const no = vi.fn(async () => new Response('{}', { status: 401 }));
    expect(await fetchMe(no as unknown as typeof fetch)).toBeNull();
    const down = vi.fn(async () => new Response('', { status: 502 }));
    await expect(fetchMe(down as unknown as typeof fetch)).rejects.toThrow(/502/);
  });

  it('ranks roles', () => {
    expect(roleAllows('viewer', 'responder')).toBe(false);
    expect(roleAllows('responder', 'responder')).toBe(true);
    expect(roleAllows('admin', 'viewer')).toBe(true);
  });

  it('reacts to an unauthorized handshake only, until unsubscribed', () => {
    const handlers = new Map<string, (err: Error) => void>();
    const socket = {
      on: (e: string, h: (err: Error) => void) => handlers.set(e, h),
      off: (e: string) => handlers.delete(e),
    };
    const hit = vi.fn();
    const off = onSocketUnauthorized(socket as never, hit);
    handlers.get('connect_error')!(new Error('timeout'));
    expect(hit).not.toHaveBeenCalled();
    handlers.get('connect_error')!(new Error('unauthorized'));
    expect(hit).toHaveBeenCalledTimes(1);
    off();
    expect(handlers.size).toBe(0);
  });
});
