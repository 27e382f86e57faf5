import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Principal } from './roles.js';
import { createSessionStore } from './sessions.js';

const alice: Principal = { name: 'alice', role: 'responder', via: 'password' };
const wall: Principal = { name: 'wall-1', role: 'viewer', via: 'display' };

function store(opts: { now: () => number; secret?: Buffer; known?: Set<string> }) {
  const known = opts.known ?? new Set(['alice', 'wall-1']);
  return createSessionStore({
    ttlMs: 60_000,
    secret: opts.secret ?? Buffer.alloc(32, 7),
    now: opts.now,
    fingerprint: (p) => `fp-${p.name}`,
    resolve: (name, via, fp) =>
      known.has(name) && fp === `fp-${name}`
        ? { name, role: via === 'display' ? 'viewer' : 'responder', via }
        : null,
  });
}

describe('signed sessions', () => {
  it('expire after the TTL on the injected clock', () => {
    let now = 1_000_000;
    const s = store({ now: () => now });
    const { id, session } = s.create(alice);
    expect(session.expiresAt).toBe(1_060_000);
    now += 59_999;
    expect(s.get(id)).toEqual({ principal: alice, expiresAt: 1_060_000 });
    now += 1;
    expect(s.get(id)).toBe('expired');
  });

  it('survive a restart with the same secret, not with another one', () => {
    const now = () => 0;
    const secret = randomBytes(32);
    const { id } = store({ now, secret }).create(alice);
    expect(store({ now, secret }).get(id)).toMatchObject({ principal: alice });
    expect(store({ now, secret: randomBytes(32) }).get(id)).toBeUndefined();
  });

  it('refuse a forged, altered or truncated cookie', () => {
    const s = store({ now: () => 0 });
    const { id } = s.create(alice);
    const [body, mac] = id.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), n: 'mallory' }),
    ).toString('base64url');
    for (const bad of [`${forged}.${mac}`, body, `${body}.`, `.${mac}`, 'x'.repeat(5000), '']) {
      expect(s.get(bad)).toBeUndefined();
    }
  });

  it('end when the credential is no longer configured, and at logout', () => {
    const known = new Set(['alice', 'wall-1']);
    const s = store({ now: () => 0, known });
    const a = s.create(alice).id;
    const b = s.create(alice).id;
    expect(s.delete(a)).toBe(true);
    expect(s.get(a)).toBeUndefined();
    expect(s.get(b)).toMatchObject({ principal: alice }); // another login of the same user
    known.delete('alice');
    expect(s.get(b)).toBeUndefined();
  });

  it("a wall screen's session does not expire; removing its token ends it", () => {
    let now = 0;
    const known = new Set(['wall-1']);
    const s = store({ now: () => now, known });
    const { id, session } = s.create(wall);
    expect(session.expiresAt).toBeNull();
    now = 365 * 86_400_000;
    expect(s.get(id)).toEqual({ principal: wall, expiresAt: null });
    known.clear();
    expect(s.get(id)).toBeUndefined();
  });
});
