import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigError } from './load.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'sw-rules-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe('rules in the configuration', () => {
  it('leaves rules unset (the defaults apply) and fills alerting defaults', () => {
    const c = loadConfig({ env: {} });
    expect(c.rules).toBeUndefined();
    expect(c.alerting).toMatchObject({ sampleEvery: 10_000, minSamples: 18, refireGrace: 300_000 });
  });

  it('reads inline rules and a rules file relative to the config', () => {
    const d = dir({
      'c.yaml': [
        'rules:',
        '  - { name: a, metric: bps, when: { above: 1e9 } }',
        'rulesFile: more.yaml',
      ].join('\n'),
      'more.yaml':
        'rules:\n  - { name: b, metric: pps, scope: vector, when: { above: 5 }, for: 10s }\n',
    });
    const c = loadConfig({ file: join(d, 'c.yaml'), env: {} });
    expect(c.rules?.map((r) => [r.name, r.for])).toEqual([
      ['a', 0],
      ['b', 10_000],
    ]);
  });

  it('names every bad rule, in the config and in the file', () => {
    const d = dir({
      'c.yaml': 'rules:\n  - { name: a, metric: kbps, when: { above: 1 } }\nrulesFile: r.yaml\n',
      'r.yaml': '- { name: b, metric: bps, when: { above: -1 } }\n',
    });
    let problems: string[] = [];
    try {
      loadConfig({ file: join(d, 'c.yaml'), env: {} });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems.some((p) => p.startsWith('rules.0.metric'))).toBe(true);
    const d2 = dir({
      'c.yaml': 'rulesFile: r.yaml\n',
      'r.yaml': '- { name: b, metric: bps, when: { above: -1 } }\n',
    });
    expect(() => loadConfig({ file: join(d2, 'c.yaml'), env: {} })).toThrow(
      /r\.yaml: rules\.0\.when/,
    );
    const d3 = dir({ 'c.yaml': 'rulesFile: missing.yaml\n' });
    expect(() => loadConfig({ file: join(d3, 'c.yaml'), env: {} })).toThrow(/cannot read rules/);
  });
});
