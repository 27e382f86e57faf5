import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../harness/server.js';

const TOKEN = 'tls-token-'.padEnd(43, 't');
const OPENSSL = '/usr/bin/openssl';

/**
 * HTTPS and WSS on the configured certificate: HSTS, Secure cookies, the socket over TLS. The
 * certificate is made with Debian's openssl, which .ci/run installs when it is missing.
 */
describe('the server under TLS', () => {
  if (!existsSync(OPENSSL)) throw new Error(`${OPENSSL} is needed to make a test certificate`);
  let server: RunningServer;
  let dir: string;
  let ca: Buffer;
  let base: string;

  const call = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const req = request(
          `${base}${path}`,
          {
            method,
            ca,
            headers: body ? { 'content-type': 'application/json' } : {},
          },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      },
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'surgewatch-tls-'));
    execFileSync(
      OPENSSL,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(dir, 'cert.pem'));
    server = await startServer({
      config: {
        demo: { backfill: '5s' },
        server: { tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } },
        auth: {
          tokens: [
            {
              name: 'tls',
              role: 'viewer',
              hash: `sha256$${createHash('sha256').update(TOKEN).digest('hex')}`,
            },
          ],
        },
      },
    });
    base = `https://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with HSTS and upgrade-insecure-requests', async () => {
    const res = await call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['content-security-policy']).toMatch(/upgrade-insecure-requests/);
  });

  it('sets the session cookie Secure', async () => {
    const res = await call('POST', '/api/login', JSON.stringify({ token: TOKEN }));
    expect(res.status).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('carries the socket over WSS, authenticated', async () => {
    const socket = io(base, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: TOKEN },
      ca,
    } as unknown as Parameters<typeof io>[1]);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('traffic:snapshot', () => resolve());
        socket.once('connect_error', reject);
      });
    } finally {
      socket.close();
    }
  });
});
