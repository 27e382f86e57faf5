import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { createAuthenticator, readCookie, SESSION_COOKIE } from './authenticator.js';
import { hashPassword, hashToken } from './hash.js';
import { allows } from './roles.js';

const VIEW = 'v'.repeat(43);
const RESP = 'r'.repeat(43);
const WALL = 'w'.repeat(43);
const SECRET = Buffer.alloc(32, 1);

async function setup(extra: Record<string, unknown> = {}) {
  let now = 0;
  const config = configSchema.parse({
    auth: {
      sessionTtl: '1m',
      tokens: [
        { name: 'viewer-bot', role: 'viewer', hash: hashToken(VIEW) },
        { name: 'ci', role: 'responder', hash: hashToken(RESP) },
      ],
      displayTokens: [{ name: 'wall-1', hash: hashToken(WALL) }],
      users: [{ username: 'alice', role: 'admin', password: await hashPassword('s3cret!') }],
      ...extra,
    },
  });
  const auth = createAuthenticator(config.auth, { now: () => now, sessionSecret: SECRET });
  return { auth, tick: (ms: number) => (now += ms) };
}

describe('roles', () => {
  it('viewer < responder < admin', () => {
    expect(allows('viewer', 'viewer')).toBe(true);
    expect(allows('viewer', 'responder')).toBe(false);
    expect(allows('responder', 'responder')).toBe(true);
    expect(allows('responder', 'admin')).toBe(false);
    expect(allows('admin', 'responder')).toBe(true);
  });
});

describe('the authenticator', () => {
  it('knows bearer tokens and their roles; a display token is a viewer', async () => {
    const { auth } = await setup();
    expect(auth.authenticate({ authorization: `Bearer ${RESP}` })).toMatchObject({
      ok: true,
      principal: { name: 'ci', role: 'responder', via: 'token' },
    });
    expect(auth.authenticate({ token: WALL })).toMatchObject({
      ok: true,
      principal: { name: 'wall-1', role: 'viewer', via: 'display' },
    });
    expect(auth.authenticate({ authorization: 'Bearer nope' })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(auth.authenticate({})).toEqual({ ok: false, reason: 'missing' });
    expect(auth.authenticate({ token: { $ne: null } })).toEqual({ ok: false, reason: 'invalid' });
    expect(auth.authenticate({ token: 'x'.repeat(100_000) })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('logs in by password (wrong password and unknown user alike refused)', async () => {
    const { auth } = await setup();
    expect(await auth.login({ username: 'alice', password: 's3cret!' })).toEqual({
      name: 'alice',
      role: 'admin',
      via: 'password',
    });
    expect(await auth.login({ username: 'alice', password: 'guess' })).toBeNull();
    expect(await auth.login({ username: 'mallory', password: 's3cret!' })).toBeNull();
    expect(await auth.login({ token: VIEW })).toMatchObject({ role: 'viewer' });
    expect(await auth.login({ token: 'wrong' })).toBeNull();
  });

  it('a session cookie works until its TTL, then reports expired', async () => {
    const { auth, tick } = await setup();
    const p = (await auth.login({ token: RESP }))!;
    const { id } = auth.sessions.create(p);
    const cookie = `other=1; ${SESSION_COOKIE}=${id}`;
    expect(auth.authenticate({ cookie })).toMatchObject({ ok: true, sessionId: id });
    expect(auth.stillValid(id)).toBe(true);
    tick(60_000);
    expect(auth.authenticate({ cookie })).toEqual({ ok: false, reason: 'expired' });
    expect(auth.stillValid(id)).toBe(false);
    expect(auth.authenticate({ cookie: `${SESSION_COOKIE}=forged` })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('ends a session when its credential changes, and gives it the role configured now', async () => {
    const now = 0;
    const make = (role: string, hash: string) =>
      createAuthenticator(
        configSchema.parse({ auth: { tokens: [{ name: 'ci', role, hash }] } }).auth,
        { now: () => now, sessionSecret: SECRET },
      );
    const before = make('responder', hashToken(RESP));
    const { id } = before.sessions.create((await before.login({ token: RESP }))!);
    const cookie = `${SESSION_COOKIE}=${id}`;
    // restarted with the same token, now a viewer: the session holds, as a viewer
    expect(make('viewer', hashToken(RESP)).authenticate({ cookie })).toMatchObject({
      ok: true,
      principal: { name: 'ci', role: 'viewer' },
    });
    // restarted with the token replaced: the session is gone
    expect(make('responder', hashToken(VIEW)).authenticate({ cookie })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('trusts the proxy header from trusted addresses only', async () => {
    const { auth } = await setup({ proxy: { trusted: ['10.0.0.0/8'] } });
    const headers = { 'x-forwarded-user': 'alice' };
    expect(auth.authenticate({ headers, remoteAddress: '::ffff:10.1.2.3' })).toMatchObject({
      ok: true,
      principal: { name: 'alice', role: 'admin', via: 'proxy' },
    });
    expect(
      auth.authenticate({ headers: { 'x-forwarded-user': 'bob' }, remoteAddress: '10.0.0.1' }),
    ).toMatchObject({ ok: true, principal: { name: 'bob', role: 'viewer' } });
    expect(auth.authenticate({ headers, remoteAddress: '192.0.2.1' })).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it('mode none: everyone is an anonymous admin', () => {
    const config = configSchema.parse({ auth: { mode: 'none' } });
    const auth = createAuthenticator(config.auth, { now: () => 0, sessionSecret: SECRET });
    expect(auth.required).toBe(false);
    expect(auth.authenticate({})).toMatchObject({ ok: true, principal: { role: 'admin' } });
  });

  it('the generated admin token logs in as admin', async () => {
    const config = configSchema.parse({});
    const token = 'g'.repeat(43);
    const auth = createAuthenticator(config.auth, {
      now: () => 0,
      generatedTokenHash: hashToken(token),
      sessionSecret: SECRET,
    });
    expect(await auth.login({ token })).toEqual({ name: 'admin', role: 'admin', via: 'generated' });
  });

  it('reads one cookie from a header', () => {
    expect(readCookie('a=1; b=2;c=3', 'b')).toBe('2');
    expect(readCookie('a=1', 'b')).toBeUndefined();
    expect(readCookie(undefined, 'b')).toBeUndefined();
  });
});
