import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { rulesSchema, type Rule } from './detect/index.js';
import { createRulesWatcher } from './rulesWatcher.js';

async function waitUntil(ok: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('rules watcher', () => {
  it('applies a changed rules file, and keeps the previous rules when it turns invalid', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sw-watch-')), 'rules.yaml');
    writeFileSync(file, '- { name: from-file, metric: bps, when: { above: 1 } }\n');
    const initial = rulesSchema.parse([
      { name: 'inline', metric: 'pps', when: { above: 1 } },
      { name: 'from-file', metric: 'bps', when: { above: 1 } },
    ]);
    const applied: Rule[][] = [];
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const w = createRulesWatcher(
      { file, initial, pollMs: 20 },
      { logger, apply: (r) => applied.push(r) },
    );
    await w.start();
    try {
      writeFileSync(file, '- { name: newer, metric: fps, when: { above: 2 } }\n');
      await waitUntil(() => applied.length === 1);
      expect(applied[0]!.map((r) => r.name)).toEqual(['inline', 'newer']);
      writeFileSync(file, '- { name: broken, metric: bps, when: { above: -5 } }\n# x\n');
      await waitUntil(() => lines.some((l) => l.includes('keeping the previous rules')));
      expect(applied).toHaveLength(1);
    } finally {
      await w.stop();
    }
  }, 20_000);
});
