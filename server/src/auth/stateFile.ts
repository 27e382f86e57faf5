import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { newToken } from './hash.js';

/**
 * The first-start admin token: read from `<dir>/admin-token`, or made and written there with
 * mode 0600 (the directory 0700) when absent. Returns the token and whether it is new.
 */
export function loadOrCreateAdminToken(dir: string): {
  token: string;
  file: string;
  created: boolean;
} {
  const abs = resolve(dir);
  const file = join(abs, 'admin-token');
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) {
      // tighten a file someone loosened: the token is an admin credential
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return { token, file, created: false };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(abs, { recursive: true, mode: 0o700 });
  const token = newToken();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file, created: true };
}

/**
 * The secret that signs session cookies: `<dir>/session-secret` (32 random bytes, hex), made
 * with mode 0600 when absent. Kept across restarts so a restart logs nobody out.
 */
export function loadOrCreateSessionSecret(dir: string): Buffer {
  const abs = resolve(dir);
  const file = join(abs, 'session-secret');
  try {
    const hex = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(abs, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
