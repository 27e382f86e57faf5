import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sw-config-'));
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

describe('loadConfig', () => {
  it('runs the demo on port 8080 with no file and no environment', () => {
    const c = loadConfig({ env: {} });
    expect(c.server.port).toBe(8080);
    expect(c.source).toBe('auto');
    expect(c.kafka).toBeUndefined();
    expect(c.retention.window).toBe(3_600_000);
  });

  it('reads YAML, parses durations and applies defaults inside sections', () => {
    const c = loadConfig({
      file: file(
        'retention:\n  window: 2h\nkafka:\n  brokers: ["127.0.0.1:9092"]\n  maxFutureMs: 30s\n',
      ),
      env: {},
    });
    expect(c.retention.window).toBe(7_200_000);
    expect(c.kafka?.topic).toBe('flows');
    expect(c.kafka?.maxFutureMs).toBe(30_000);
    expect(c.kafka?.dlq).toEqual({ enabled: true, maxPerSec: 10 });
    // no workers key: app.ts picks the CPU cores less one
    expect(c.kafka?.workers).toBeUndefined();
  });

  it('lets SURGEWATCH_* variables override the file, and PORT the port', () => {
    const c = loadConfig({
      file: file('server:\n  port: 9000\nlog:\n  level: warn\n'),
      env: {
        SURGEWATCH_LOG_LEVEL: 'debug',
        SURGEWATCH_KAFKA_BROKERS: 'a:9092, b:9093',
        SURGEWATCH_KAFKA_FROMBEGINNING: 'true',
        SURGEWATCH_KAFKA_WORKERS: '3',
        SURGEWATCH_LIVE_TOPN: '5',
        PORT: '8181',
      },
    });
    expect(c.log.level).toBe('debug');
    expect(c.kafka?.brokers).toEqual(['a:9092', 'b:9093']);
    expect(c.kafka?.fromBeginning).toBe(true);
    expect(c.kafka?.workers).toBe(3);
    expect(c.live.topN).toBe(5);
    expect(c.server.port).toBe(8181);
  });

  it('lists every problem at once: unknown keys, bad values, unknown variables', () => {
    const p = problems(() =>
      loadConfig({
        file: file(
          'server:\n  port: -1\n  colour: red\nsource: carrier-pigeon\nlive:\n  window: soon\nextra: 1\n',
        ),
        env: { SURGEWATCH_NOT_A_KEY: 'x' },
      }),
    );
    expect(p).toHaveLength(6);
    expect(p.join('\n')).toMatch(/SURGEWATCH_NOT_A_KEY: unknown environment override/);
    expect(p.join('\n')).toMatch(/server\.port:/);
    expect(p.join('\n')).toMatch(/server\.colour: unknown key/);
    expect(p.join('\n')).toMatch(/source:/);
    expect(p.join('\n')).toMatch(/extra: unknown key/);
    expect(p.join('\n')).toMatch(/live\.window:/);
  });

  it('reports an unreadable file and broken YAML clearly', () => {
    expect(problems(() => loadConfig({ file: '/nonexistent/x.yaml', env: {} }))[0]).toMatch(
      /cannot read \(ENOENT\)/,
    );
    expect(problems(() => loadConfig({ file: file('a: [1, 2\n'), env: {} }))[0]).toMatch(
      /not valid YAML/,
    );
    expect(problems(() => loadConfig({ file: file('- 1\n- 2\n'), env: {} }))[0]).toMatch(
      /must be a mapping/,
    );
  });
});
