import { describe, expect, it } from 'vitest';
import { hashPassword, hashToken, newToken, verifySecret } from './hash.js';

describe('secret hashing', () => {
  it('scrypt: a password verifies, a wrong one does not, and salts differ', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifySecret('correct horse battery staple', a)).toBe(true);
    expect(await verifySecret('correct horse battery stapl', a)).toBe(false);
    expect(await verifySecret('', a)).toBe(false);
  });

  it('sha256 for high-entropy tokens', async () => {
    const t = newToken();
    expect(t).toMatch(/^[\w-]{43}$/);
    const h = hashToken(t);
    expect(h).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(await verifySecret(t, h)).toBe(true);
    expect(await verifySecret(`${t}x`, h)).toBe(false);
  });

  it('refuses malformed or hostile hashes instead of throwing or burning CPU', async () => {
    for (const bad of [
      '',
      'plain',
      'sha256$zz',
      'sha256$',
      'md5$abc',
      'scrypt$16384$8$1$salt',
      'scrypt$1073741824$8$1$c2FsdA$AAAA', // N = 2^30: refused, not computed
      'scrypt$1000$8$1$c2FsdA$AAAA', // N not a power of two
      'scrypt$16384$8$1$c2FsdA$AAAA', // key of the wrong length
    ]) {
      expect(await verifySecret('x', bad)).toBe(false);
    }
  });
});
