import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import type {
  AckResult,
  ClientToServerEvents,
  ServerToClientEvents,
  TrafficSnapshot,
} from '@surgewatch/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, waitFor, type RunningServer } from '../harness/server.js';

const sha256 = (t: string) => `sha256$${createHash('sha256').update(t).digest('hex')}`;

const VIEWER = 'viewer-token-'.padEnd(43, 'v');
const RESPONDER = 'responder-token-'.padEnd(43, 'r');
const WALL = 'wall-token-'.padEnd(43, 'w');
const PASSWORD = 'correct horse battery staple';
/** Short enough to wait out in the test. */
const TTL_MS = 3_000;

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Every route behind the guard: method, path, the least role, a body where one is needed. */
const ROUTES: { method: string; path: string; role: 'viewer' | 'responder'; body?: unknown }[] = [
  { method: 'GET', path: '/metrics', role: 'viewer' },
  { method: 'GET', path: '/api/traffic', role: 'viewer' },
  { method: 'GET', path: '/api/traffic?by=asn&country=RU', role: 'viewer' },
  { method: 'GET', path: '/api/alerts', role: 'viewer' },
  { method: 'GET', path: '/api/rules', role: 'viewer' },
  { method: 'GET', path: '/api/me', role: 'viewer' },
  { method: 'GET', path: '/api/nothing-here', role: 'viewer' },
  { method: 'POST', path: '/api/alerts/some-id/ack', role: 'responder', body: { note: 'x' } },
  { method: 'GET', path: '/api/silences', role: 'responder' },
  {
    method: 'POST',
    path: '/api/silences',
    role: 'responder',
    body: { matchers: { country: 'RU' }, durationMin: 5, reason: 'test' },
  },
  { method: 'DELETE', path: '/api/silences/none', role: 'responder' },
];

/** The whole body must be `{error: {code, message}}`, nothing else: no stack, no detail. */
function expectError(body: unknown, code: string): void {
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
}

async function call(
  url: string,
  r: (typeof ROUTES)[number],
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}${r.path}`, {
    method: r.method,
    redirect: 'manual',
    headers: { ...headers, ...(r.body ? { 'content-type': 'application/json' } : {}) },
    body: r.body ? JSON.stringify(r.body) : undefined,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* metrics text */
  }
  return { status: res.status, body };
}

function connect(url: string, opts: { token?: string; cookie?: string } = {}): Client {
  return io(url, {
    transports: ['websocket'],
    reconnection: false,
    ...(opts.token ? { auth: { token: opts.token } } : {}),
    ...(opts.cookie ? { extraHeaders: { cookie: opts.cookie } } : {}),
  });
}

/** Resolves with the handshake error, or 'connected'. */
function handshake(socket: Client): Promise<{ message: string; data?: unknown } | 'connected'> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err: Error & { data?: unknown }) =>
      resolve({ message: err.message, data: err.data }),
    );
  });
}

function emitAck<T>(socket: Client, event: 'alert:ack' | 'silence:create', req: unknown) {
  return new Promise<AckResult<T>>((resolve) =>
    (socket.emit as (e: string, r: unknown, cb: (res: AckResult<T>) => void) => void)(
      event,
      req,
      resolve,
    ),
  );
}

async function login(url: string, body: unknown): Promise<{ status: number; cookie?: string }> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const set = res.headers.get('set-cookie') ?? '';
  const cookie = /surgewatch_session=[^;]+/.exec(set)?.[0];
  return { status: res.status, ...(cookie ? { cookie } : {}) };
}

describe('authentication and roles against the real server', () => {
  let server: RunningServer;
  const sockets: Client[] = [];

  beforeAll(async () => {
    // the CLI makes the password hash, as an operator would
    const child = execFile(process.execPath, ['server/dist/main.js', 'hash-password'], {
      cwd: ROOT,
    });
    child.stdin!.end(`${PASSWORD}\n`);
    const passwordHash = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) =>
        code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}`)),
      );
    });
    expect(passwordHash).toMatch(/^scrypt\$/);

    server = await startServer({
      config: {
        demo: { seed: 2, backfill: '5s' },
        // the test plays a reverse proxy from 127.0.0.1 (X-Forwarded-For / -Proto believed)
        server: { trustedProxies: ['127.0.0.1/32'], corsOrigins: ['https://ops.example.org'] },
        auth: {
          sessionTtl: `${TTL_MS}ms`,
          loginRateLimit: 30,
          tokens: [
            { name: 'dashboard-bot', role: 'viewer', hash: sha256(VIEWER) },
            { name: 'ci', role: 'responder', hash: sha256(RESPONDER) },
          ],
          displayTokens: [{ name: 'wall-1', hash: sha256(WALL) }],
          users: [{ username: 'alice', role: 'responder', password: passwordHash }],
          // the test is also the SSO proxy in front (127.0.0.1 sets the user header)
          proxy: { trusted: ['127.0.0.1/32'], header: 'x-sso-user' },
        },
      },
    });
    await waitFor(async () => (await fetch(`${server.url}/readyz`)).status === 200, 30_000);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await server?.stop();
  });

  it('leaves health and readiness open', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('refuses every route without credentials (401) and sends pages to /login', async () => {
    for (const r of ROUTES) {
      const { status, body } = await call(server.url, r);
      expect(status, `${r.method} ${r.path}`).toBe(401);
      expectError(body, 'unauthorized');
    }
    const page = await fetch(`${server.url}/?kiosk=1`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2F%3Fkiosk%3D1');
    expect(await page.text()).toBe('');
    // the login page itself is public, and carries the CSP; so are the client's scripts
    const loginPage = await fetch(`${server.url}/login`);
    expect(loginPage.status).toBe(200);
    expect(loginPage.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await loginPage.text())![1]!;
    expect((await fetch(`${server.url}${script}`)).status).toBe(200);
    // but not the dashboard's page, nor a path that only looks like an asset
    for (const page of ['/index.html', '/assets/nope.js', '/assets/../index.html']) {
      const res = await fetch(`${server.url}${page}`, { redirect: 'manual' });
      expect(res.status, page).toBe(302);
    }
  });

  it('refuses a wrong token (401) and a wrong password', async () => {
    for (const r of ROUTES) {
      const { status, body } = await call(server.url, r, { authorization: 'Bearer wrong' });
      expect(status, `${r.method} ${r.path}`).toBe(401);
      expectError(body, 'unauthorized');
    }
    const bad = await login(server.url, { username: 'alice', password: 'guess' });
    expect(bad.status).toBe(401);
    expect(bad.cookie).toBeUndefined();
    expect((await login(server.url, { username: 'nobody', password: PASSWORD })).status).toBe(401);
    expect((await login(server.url, { token: 'nope' })).status).toBe(401);
    expect((await login(server.url, { token: 1 })).status).toBe(400);
  });

  it('refuses a viewer on responder routes (403); lets it read', async () => {
    for (const r of ROUTES) {
      const { status, body } = await call(server.url, r, { authorization: `Bearer ${VIEWER}` });
      if (r.role === 'responder') {
        expect(status, `${r.method} ${r.path}`).toBe(403);
        expectError(body, 'forbidden');
      } else if (r.path === '/api/nothing-here') {
        expect(status).toBe(404);
        expectError(body, 'not_found');
      } else {
        expect(status, `${r.method} ${r.path}`).toBe(200);
      }
    }
    const me = await call(
      server.url,
      ROUTES.find((r) => r.path === '/api/me')!,
      {
        authorization: `Bearer ${VIEWER}`,
      },
    );
    expect(me.body).toMatchObject({ user: { name: 'dashboard-bot', role: 'viewer' } });
  });

  it('lets a responder act, as itself', async () => {
    const auth = { authorization: `Bearer ${RESPONDER}` };
    const ack = await call(
      server.url,
      ROUTES.find((r) => r.path.endsWith('/ack'))!,
      auth,
    );
    expect(ack.status).toBe(404); // past the guard: there is no such alert
    expectError(ack.body, 'not_found');
    const made = await call(
      server.url,
      ROUTES.find((r) => r.method === 'POST' && r.path === '/api/silences')!,
      auth,
    );
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ createdBy: 'ci', reason: 'test' });
  });

  it('logs in by password for a cookie session; the cookie is HttpOnly and SameSite=Strict', async () => {
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { name: 'alice', role: 'responder' } });
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).not.toMatch(/Secure/); // plain HTTP here
    const viaHttps = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ token: VIEWER }),
    });
    expect(viaHttps.headers.get('set-cookie')).toMatch(/; Secure/);
    const cookie = /surgewatch_session=[^;]+/.exec(set)![0];
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ user: { name: 'alice', role: 'responder' } });
    // a cross-site POST riding the cookie is refused
    const csrf = await fetch(`${server.url}/api/logout`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(csrf.status).toBe(403);
    expectError(await csrf.json(), 'forbidden');
    // logout ends it
    const out = await fetch(`${server.url}/api/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/surgewatch_session=;/);
    const after = await fetch(`${server.url}/api/me`, { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it('logs a wall screen in from a kiosk URL with a display token (a viewer)', async () => {
    const res = await fetch(
      `${server.url}/login?token=${WALL}&next=${encodeURIComponent('/?kiosk=1')}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/?kiosk=1');
    const set = res.headers.get('set-cookie')!;
    const cookie = /surgewatch_session=[^;]+/.exec(set)![0];
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ user: { name: 'wall-1', role: 'viewer' } });
    // a wall screen is not logged out after the short TTL: its session slides with use
    const expires = Date.parse(/Expires=([^;]+)/.exec(set)![1]!);
    expect(expires).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    await new Promise((r) => setTimeout(r, TTL_MS + 200));
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(200);
    // an open redirect is not on offer
    const evil = await fetch(`${server.url}/login?token=${WALL}&next=//evil.example/`, {
      redirect: 'manual',
    });
    expect(evil.headers.get('location')).toBe('/');
    const revoked = await fetch(`${server.url}/login?token=${'x'.repeat(43)}`, {
      redirect: 'manual',
    });
    expect(revoked.headers.get('location')).toMatch(/^\/login\?error=invalid/);
  });

  it("trusts the SSO proxy's user header from its address: the user's role, else viewer", async () => {
    const me = async (user: string) =>
      (await fetch(`${server.url}/api/me`, { headers: { 'x-sso-user': user } })).json();
    expect(await me('alice')).toMatchObject({ user: { name: 'alice', role: 'responder' } });
    expect(await me('bob')).toMatchObject({ user: { name: 'bob', role: 'viewer' } });
    const bob = await fetch(`${server.url}/api/silences`, { headers: { 'x-sso-user': 'bob' } });
    expect(bob.status).toBe(403);
    const s = io(server.url, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { 'x-sso-user': 'alice' },
    }) as Client;
    sockets.push(s);
    expect(await handshake(s)).toBe('connected');
  });

  it('answers CORS for the allowlisted origin only, and refuses foreign socket origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/alerts`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
    const ok = await preflight('https://ops.example.org');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://ops.example.org');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${server.url}/api/alerts`, {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${VIEWER}` },
    });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    // the allowlisted origin may post (the origin check), a foreign one may not
    const allowed = await fetch(`${server.url}/api/silences`, {
      method: 'POST',
      headers: {
        origin: 'https://ops.example.org',
        authorization: `Bearer ${RESPONDER}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ matchers: { country: 'CN' }, durationMin: 1, reason: 'cors' }),
    });
    expect(allowed.status).toBe(201);
    // a page on another site cannot open a socket, whatever it holds
    const foreign = io(server.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: VIEWER },
      extraHeaders: { origin: 'https://evil.example' },
    }) as Client;
    sockets.push(foreign);
    expect(await handshake(foreign)).not.toBe('connected');
  });

  it('refuses the socket handshake without, or with wrong, credentials', async () => {
    for (const opts of [{}, { token: 'wrong' }, { cookie: 'surgewatch_session=forged' }]) {
      const s = connect(server.url, opts);
      sockets.push(s);
      const res = await handshake(s);
      expect(res).toEqual({
        message: 'unauthorized',
        data: { code: 'unauthorized', message: expect.any(String) },
      });
    }
  });

  it('checks the role on every socket event; the responder acts under its name', async () => {
    const viewer = connect(server.url, { token: VIEWER });
    sockets.push(viewer);
    const snapshot = new Promise<TrafficSnapshot>((r) => viewer.once('traffic:snapshot', r));
    expect(await handshake(viewer)).toBe('connected');
    expect((await snapshot).stepMs).toBe(1000);
    const denied = await emitAck(viewer, 'alert:ack', { id: 'x' });
    expect(denied).toEqual({
      ok: false,
      error: { code: 'forbidden', message: expect.any(String) },
    });
    const denied2 = await emitAck(viewer, 'silence:create', {
      matchers: { country: 'BR' },
      durationMin: 1,
      reason: 'r',
    });
    expect(denied2).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const responder = connect(server.url, { token: RESPONDER });
    sockets.push(responder);
    expect(await handshake(responder)).toBe('connected');
    expect(await emitAck(responder, 'alert:ack', { id: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const made = await emitAck<{ createdBy: string }>(responder, 'silence:create', {
      matchers: { country: 'BR' },
      durationMin: 1,
      reason: 'socket',
    });
    expect(made).toMatchObject({ ok: true, data: { createdBy: 'ci' } });
  });

  it('rate-limits socket events per connection (rate_limited in the ack)', async () => {
    const s = connect(server.url, { token: RESPONDER });
    sockets.push(s);
    expect(await handshake(s)).toBe('connected');
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => emitAck(s, 'alert:ack', { id: 'x' })),
    );
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    // a burst of twice the rate (5/s) passes to the validators, the rest is refused
    expect(codes.filter((c) => c === 'not_found').length).toBeGreaterThanOrEqual(10);
    expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThanOrEqual(15);
  });

  it('expires sessions: REST and socket refuse an expired cookie', async () => {
    const { status, cookie } = await login(server.url, { token: RESPONDER });
    expect(status).toBe(200);
    const live = connect(server.url, { cookie: cookie! });
    sockets.push(live);
    expect(await handshake(live)).toBe('connected');
    const gone = new Promise<string>((r) => live.once('disconnect', r));
    await new Promise((r) => setTimeout(r, TTL_MS + 300));
    for (const r of ROUTES) {
      const res = await call(server.url, r, { cookie: cookie! });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      expectError(res.body, 'unauthorized');
    }
    // the open socket is closed by the server within a second (checked every tick); a new one is refused
    const again = connect(server.url, { cookie: cookie! });
    sockets.push(again);
    expect(await handshake(again)).toMatchObject({ message: 'unauthorized' });
    expect(await gone).toBe('io server disconnect');
  }, 20_000);

  it('writes audit lines for logins, failures, logouts, acks, silences and denials', async () => {
    const audit = server.logs
      .filter((l) => l.includes('"audit":true'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const events = new Set(audit.map((a) => `${a.event}:${a.outcome}`));
    for (const e of [
      'login:ok',
      'login_failed:failed',
      'logout:ok',
      'ack:failed',
      'silence_create:ok',
      'denied:failed',
    ]) {
      expect(events, e).toContain(e);
    }
    expect(audit.find((a) => a.event === 'login' && a.via === 'password')).toMatchObject({
      user: 'alice',
      role: 'responder',
    });
    // no secret is ever logged
    const all = server.logs.join('\n');
    for (const secret of [VIEWER, RESPONDER, WALL, PASSWORD]) expect(all).not.toContain(secret);
    const metrics = await (
      await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${VIEWER}` } })
    ).text();
    expect(metrics).toMatch(
      /surgewatch_audit_events_total\{event="login_failed",outcome="failed"\} \d+/,
    );
  });

  it('rate-limits logins per address (429, rate_limited)', async () => {
    let last = 0;
    let body: unknown;
    for (let i = 0; i < 40 && last !== 429; i++) {
      const res = await fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'guess' }),
      });
      last = res.status;
      body = await res.json();
    }
    expect(last).toBe(429);
    expectError(body, 'rate_limited');
    // token attempts in a URL share the limit; the bare form does not
    const viaUrl = await fetch(`${server.url}/login?token=guess`, { redirect: 'manual' });
    expect(viaUrl.status).toBe(429);
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    // behind the trusted proxy each client has its own count
    const other = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
      body: JSON.stringify({ token: 'guess' }),
    });
    expect(other.status).toBe(401);
  });
});
