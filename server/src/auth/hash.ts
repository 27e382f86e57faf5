import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Stored secrets. Passwords are chosen by people and guessable, so they get scrypt (memory-hard,
 * deliberately slow: ~50 ms and 16 MiB each). Tokens are 256 random bits made by
 * `newToken()`: no dictionary reaches them, so one SHA-256 is as strong as any slow hash and
 * keeps every bearer request cheap (a slow hash per request would be a CPU lever for an
 * attacker). Both formats are accepted for either, so an operator may scrypt a token too.
 */

/** scrypt cost: N = 2^14, r = 8, p = 1 (the OWASP baseline), 32-byte key. */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LEN = 32;
/** Above this a hash was not made by us; refuse rather than burn memory and time on it. */
const MAX_N = 1 << 20;

function scryptAsync(secret: string, salt: Buffer, n: number, r: number, p: number) {
  const opts: ScryptOptions = { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A fresh random token: 32 bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** `sha256$<hex>` of a high-entropy token. */
export function hashToken(token: string): string {
  return `sha256$${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** `scrypt$N$r$p$<salt>$<key>` (base64url) of a password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `secret` matches a stored `sha256$…` or `scrypt$…` hash; false for any malformed hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts[0] === 'sha256' && parts.length === 2) {
    const want = Buffer.from(parts[1] as string, 'hex');
    const got = createHash('sha256').update(secret, 'utf8').digest();
    return want.length === got.length && timingSafeEqual(want, got);
  }
  if (parts[0] === 'scrypt' && parts.length === 6) {
    const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    if (!Number.isInteger(n) || n < 2 || n > MAX_N || (n & (n - 1)) !== 0) return false;
    if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16)
      return false;
    const salt = Buffer.from(parts[4] as string, 'base64url');
    const want = Buffer.from(parts[5] as string, 'base64url');
    if (want.length !== KEY_LEN) return false;
    const got = await scryptAsync(secret, salt, n, r, p);
    return timingSafeEqual(want, got);
  }
  return false;
}
