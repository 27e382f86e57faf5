import { describe, expect, it } from 'vitest';
import { createSessionStore } from './sessions.js';

const alice = { name: 'alice', role: 'responder' as const, via: 'password' as const };

describe('sessions', () => {
  it('expire after the TTL on the injected clock, and are then gone', () => {
    let now = 1_000_000;
    const s = createSessionStore({ ttlMs: 60_000, max: 10, now: () => now });
    const { id, session } = s.create(alice);
    expect(id).toMatch(/^[\w-]{43}$/);
    expect(session.expiresAt).toBe(1_060_000);
    now += 59_999;
    expect(s.get(id)).toMatchObject({ principal: alice });
    now += 1;
    expect(s.get(id)).toBe('expired');
    expect(s.get(id)).toBeUndefined();
  });

  it('logout deletes; the oldest is dropped beyond the bound; sweep clears expired ones', () => {
    let now = 0;
    const s = createSessionStore({ ttlMs: 1_000, max: 3, now: () => now });
    const ids = [1, 2, 3, 4].map(() => s.create(alice).id);
    expect(s.size()).toBe(3);
    expect(s.get(ids[0]!)).toBeUndefined();
    expect(s.delete(ids[1]!)).toBe(true);
    expect(s.get(ids[1]!)).toBeUndefined();
    now = 5_000;
    expect(s.sweep()).toBe(0);
  });

  it('a wall screen (display token) session slides on every use; others do not', () => {
    let now = 0;
    const s = createSessionStore({ ttlMs: 1_000, displayTtlMs: 10_000, max: 10, now: () => now });
    const wall = s.create({ name: 'wall-1', role: 'viewer', via: 'display' });
    const person = s.create(alice);
    expect(wall.session.expiresAt).toBe(10_000);
    for (now = 5_000; now <= 50_000; now += 5_000) {
      expect(s.get(wall.id)).toMatchObject({ sliding: true, expiresAt: now + 10_000 });
    }
    expect(s.get(person.id)).toBe('expired'); // the person's ended after 1 s
    now += 10_000;
    expect(s.get(wall.id)).toBe('expired');
  });
});
