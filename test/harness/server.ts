import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/** Repository root, from test/harness/. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'server/dist/main.js');

export interface StartOptions {
  /**
   * Written to a temporary YAML file and passed with --config. `server.port` defaults to 0.
   * Without an `auth` section the server runs with `auth: { mode: none }`, so tests about
   * something else need no credentials; test/e2e/auth.test.ts passes its own.
   */
  config?: Record<string, unknown>;
  env?: Record<string, string>;
  /** How long to wait for the "listening" log line, ms. */
  timeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  proc: ChildProcess;
  /** Every log line so far (stdout and stderr). */
  logs: string[];
  /** Sends SIGTERM and resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>;
  /** SIGKILL, no goodbye. */
  kill(): Promise<void>;
  /** Resolves with the exit code when the process exits by itself. */
  exited: Promise<number | null>;
}

/**
 * Starts the real, built server (`node server/dist/main.js`) on an ephemeral port and
 * resolves once it logs that it is listening. Build it first (`pnpm build`).
 */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'surgewatch-test-'));
  const configFile = join(dir, 'config.yaml');
  const auth = opts.config?.auth as Record<string, unknown> | undefined;
  const config = {
    ...opts.config,
    // no auth section: open; one without a state directory: keep its files in the temp dir
    auth: auth ? { stateDir: join(dir, 'state'), ...auth } : { mode: 'none' },
    server: { host: '127.0.0.1', port: 0, ...(opts.config?.server as object) },
  };
  writeFileSync(configFile, stringify(config));
  const proc = spawn(process.execPath, [MAIN, '--config', configFile], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `server did not start within ${opts.timeoutMs ?? 30_000} ms:\n${logs.join('\n')}`,
          ),
        ),
      opts.timeoutMs ?? 30_000,
    );
    const onLine = (line: string) => {
      logs.push(line);
      if (line.includes('"msg":"listening"')) {
        try {
          const p = (JSON.parse(line) as { port: number }).port;
          clearTimeout(timer);
          resolve(p);
        } catch {
          /* not our line */
        }
      }
    };
    lines(proc.stdout!, onLine);
    lines(proc.stderr!, onLine);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${logs.join('\n')}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    proc,
    logs,
    exited,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(
  fn: () => Promise<T> | T,
  timeoutMs = 15_000,
  intervalMs = 200,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
