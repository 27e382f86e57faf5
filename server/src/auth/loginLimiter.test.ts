import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from './loginLimiter.js';

describe('the login limiter', () => {
  it('allows max attempts per address per window, then says how long to wait', () => {
    let now = 0;
    const l = createLoginLimiter({ max: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3].map(() => l.take('10.0.0.1'))).toEqual([0, 0, 0]);
    now = 15_000;
    expect(l.take('10.0.0.1')).toBe(45);
    expect(l.take('10.0.0.2')).toBe(0); // another address has its own count
    now = 60_000;
    expect(l.take('10.0.0.1')).toBe(0); // a new window
  });

  it('forgets the oldest address beyond its bound', () => {
    const l = createLoginLimiter({ max: 1, windowMs: 60_000, now: () => 0, maxKeys: 2 });
    l.take('a');
    expect(l.take('a')).toBeGreaterThan(0);
    l.take('b');
    l.take('c'); // 'a' is forgotten
    expect(l.take('a')).toBe(0);
  });
});
