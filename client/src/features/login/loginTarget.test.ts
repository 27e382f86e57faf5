import { describe, expect, it } from 'vitest';
import { loginFailure, loginNotice, loginTarget } from './loginTarget.js';

describe('the login page', () => {
  it('returns to a local path only', () => {
    expect(loginTarget('?next=%2F%3Fkiosk%3D1')).toBe('/?kiosk=1');
    expect(loginTarget('?next=/oncall?x=1')).toBe('/oncall?x=1');
    expect(loginTarget('')).toBe('/');
    expect(loginTarget('?next=//evil.example/')).toBe('/');
    expect(loginTarget('?next=https://evil.example/')).toBe('/');
    expect(loginTarget('?next=/%5Cevil.example')).toBe('/');
    expect(loginTarget('?next=javascript:alert(1)')).toBe('/');
  });

  it('explains why it is shown and why a login failed', () => {
    expect(loginNotice('?error=invalid')).toMatch(/not valid/);
    expect(loginNotice('?expired=1&next=/')).toMatch(/expired/);
    expect(loginNotice('')).toBe('');
    expect(loginFailure(401)).toMatch(/Wrong/);
    expect(loginFailure(429, 42)).toMatch(/42 s/);
    expect(loginFailure(500)).toMatch(/500/);
  });
});
