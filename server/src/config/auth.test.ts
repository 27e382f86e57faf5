import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../auth/hash.js';
import { ConfigError, loadConfig, needsGeneratedToken } from './load.js';

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sw-auth-config-'));
  const path = join(dir, 'c.yaml');
  writeFileSync(path, text);
  return path;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('the auth section', () => {
  it('is secure by default: token mode, a generated admin token, 12 h sessions', () => {
    const c = loadConfig({ env: {} });
    expect(c.auth.mode).toBe('token');
    expect(c.auth.sessionTtl).toBe(43_200_000);
    expect(c.auth.metrics).toBe('token');
    expect(c.server.corsOrigins).toEqual([]);
    expect(needsGeneratedToken(c.auth)).toBe(true);
    expect(needsGeneratedToken(loadConfig({ env: { SURGEWATCH_AUTH_MODE: 'none' } }).auth)).toBe(
      false,
    );
  });

  it('lists every bad key at once: plaintext secrets, unknown roles, bad CIDRs, unknown keys', () => {
    const p = problems(() =>
      loadConfig({
        file: file(
          [
            'auth:',
            '  mode: open',
            '  tokens:',
            '    - { name: ci, role: root, hash: hunter2 }',
            '    - { name: both, hash: "sha256$' + 'a'.repeat(64) + '", env: X }',
            '  users:',
            '    - { username: alice, password: "plain-text" }',
            '  proxy: { trusted: [not-a-cidr] }',
            '  sessionTTL: 1h',
            'server:',
            '  corsOrigins: ["*"]',
          ].join('\n'),
        ),
        env: {},
      }),
    );
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^auth\.mode: /),
        expect.stringMatching(/^auth\.tokens\.0\.role: /),
        expect.stringMatching(/^auth\.tokens\.0\.hash: a hash from/),
        expect.stringMatching(/^auth\.tokens\.1: exactly one of hash or env/),
        expect.stringMatching(/^auth\.users\.0\.password: a hash from/),
        expect.stringMatching(/^auth\.proxy\.trusted\.0: /),
        'auth.sessionTTL: unknown key',
        expect.stringMatching(/^server\.corsOrigins\.0: /),
      ]),
    );
  });

  it('refuses a name listed twice', () => {
    const h = `"sha256$${'a'.repeat(64)}"`;
    const p = problems(() =>
      loadConfig({
        file: file(
          `auth:\n  tokens: [{name: ci, hash: ${h}}, {name: ci, hash: ${h}}]\n  users: [{username: a}, {username: a}]\n`,
        ),
        env: {},
      }),
    );
    expect(p).toEqual(['auth.tokens.1: ci is listed twice', 'auth.users.1: a is listed twice']);
  });

  it('hashes a token read from the environment and keeps no plaintext', () => {
    const token = 't'.repeat(40);
    const c = loadConfig({
      env: {
        SURGEWATCH_AUTH_TOKENS: '[{name: ci, role: responder, env: SURGEWATCH_TOKEN_CI}]',
        SURGEWATCH_TOKEN_CI: token,
      },
    });
    expect(c.auth.tokens).toEqual([{ name: 'ci', role: 'responder', hash: hashToken(token) }]);
    expect(JSON.stringify(c)).not.toContain(token);
    expect(needsGeneratedToken(c.auth)).toBe(false);
  });

  it('refuses a missing or short environment token and unreadable TLS files', () => {
    const p = problems(() =>
      loadConfig({
        file: file(
          'auth:\n  tokens: [{name: a, env: A_TOKEN}, {name: b, env: B_TOKEN}]\nserver:\n  tls: {cert: /nonexistent/cert.pem, key: /nonexistent/key.pem}\n',
        ),
        env: { B_TOKEN: 'short' },
      }),
    );
    expect(p).toEqual([
      'auth.tokens.0.env: A_TOKEN is not set',
      'auth.tokens.1.env: B_TOKEN is shorter than 32 characters',
      'server.tls.cert: cannot read /nonexistent/cert.pem (ENOENT)',
      'server.tls.key: cannot read /nonexistent/key.pem (ENOENT)',
    ]);
  });
});
