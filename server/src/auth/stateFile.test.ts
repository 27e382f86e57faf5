import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateAdminToken } from './stateFile.js';

describe('the generated admin token', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is made once with mode 0600 and read back on the next start', () => {
    const base = mkdtempSync(join(tmpdir(), 'surgewatch-state-'));
    dirs.push(base);
    const dir = join(base, 'state');
    const first = loadOrCreateAdminToken(dir);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^[\w-]{43}$/);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(first.file, 'utf8').trim()).toBe(first.token);
    const again = loadOrCreateAdminToken(dir);
    expect(again).toEqual({ ...first, created: false });
  });
});
