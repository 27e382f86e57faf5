import { describe, expect, it } from 'vitest';
import { describeCondition } from './explain.js';
import { formatMetric } from './format.js';
import { alertingSchema, ruleSchema, rulesSchema } from './rules.js';

describe('rules', () => {
  it('parses a rule with defaults and durations in ms', () => {
    const r = ruleSchema.parse({
      name: 'ru-surge',
      metric: 'bps',
      scope: 'country',
      match: 'RU',
      when: { baseline: { k: 5, floor: 1e6 } },
      for: '10s',
      clearFor: 60_000,
    });
    expect(r).toMatchObject({
      for: 10_000,
      clearFor: 60_000,
      clearBelow: 0.8,
      severity: 'warning',
    });
    expect(describeCondition(r)).toBe('bps above 5 × baseline (floor 1 Mb/s) for 10 s');
  });

  it('rejects nonsense with every problem named', () => {
    const res = rulesSchema.safeParse([
      { name: 'a', metric: 'share', when: { above: 0.5 } },
      { name: 'a', metric: 'bps', scope: 'planet', when: { above: 1 } },
      { name: 'b', metric: 'bps', match: 'RU', when: { below: 1 } },
    ]);
    expect(res.success).toBe(false);
    const paths = res.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['0.metric', '1.scope', '2.when']));
  });

  it('takes a pair scope, but not for distinct sources', () => {
    expect(
      ruleSchema.parse({ name: 'p', metric: 'bps', scope: 'country.vector', when: { above: 1 } })
        .scope,
    ).toBe('country.vector');
    const res = ruleSchema.safeParse({
      name: 'p',
      metric: 'sources',
      scope: 'country.destination',
      when: { above: 1 },
    });
    expect(res.success).toBe(false);
    expect(res.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['metric', 'pair scopes count traffic, not distinct sources: use bps, pps, fps or share'],
    ]);
  });

  it('formats values with their unit', () => {
    expect(formatMetric('bps', 12_345_678)).toBe('12.3 Mb/s');
    expect(formatMetric('pps', 900)).toBe('900 pps');
    expect(formatMetric('share', 0.256)).toBe('25.6 %');
  });

  it('reads webhook targets with defaults, and refuses a non-http URL', () => {
    const a = alertingSchema.parse({
      webhooks: [{ url: 'https://hooks.example/x', timeout: '2s' }],
    });
    expect(a.webhooks).toEqual([
      {
        url: 'https://hooks.example/x',
        format: 'json',
        minSeverity: 'warning',
        timeout: 2000,
        retries: 3,
      },
    ]);
    expect(alertingSchema.safeParse({ webhooks: [{ url: 'file:///etc/passwd' }] }).success).toBe(
      false,
    );
  });
});
