import { DIMENSIONS, PAIRS, SEVERITIES } from '@surgewatch/shared';
import { z } from 'zod';

/** What a rule measures per second: bits, packets, flow records, distinct sources, or share of total bps (0–1). */
export const RULE_METRICS = ['bps', 'pps', 'fps', 'sources', 'share'] as const;
export type RuleMetric = (typeof RULE_METRICS)[number];

const seconds = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+(ms|s|m|h)$/, 'like 10s or 5m')])
  .transform((v) => (typeof v === 'number' ? v : durationMs(v)));

/** "500ms" | "10s" | "5m" | "1h" → ms (a bare number is ms, as everywhere in the config). */
function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text) as RegExpExecArray;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}

const condition = z.union([
  z.strictObject({
    above: z.number().nonnegative(),
    /**
     * Also above this many times the subject's usual level, once some of it is learned: a
     * static floor that a host busy by nature does not cross every day. The usual level is the
     * median of its baseline samples (the alerting ones left out); a key never seen since
     * detection has run for a warm-up has a usual level of 0.
     */
    usual: z.number().positive().optional(),
  }),
  z.strictObject({
    baseline: z.strictObject({ k: z.number().positive(), floor: z.number().nonnegative() }),
  }),
  z.strictObject({
    zscore: z.strictObject({ z: z.number().positive(), floor: z.number().nonnegative() }),
  }),
]);

/** One detection rule, as written in YAML. */
export const ruleSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and "-"'),
    metric: z.enum(RULE_METRICS),
    /**
     * `total`, or one dimension: every key of it is its own series; or a country combined
     * with a target, service, network or vector (`country.destination`, …): every country ×
     * key pair is its own series, so "any one country sending too much to the website" is
     * one rule.
     */
    scope: z.enum(['total', ...DIMENSIONS, ...PAIRS]).default('total'),
    /**
     * Only these keys of the scope's dimension (exact match); for a pair scope, keys of its
     * second part (the target, service, network or vector).
     */
    match: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /**
     * Destination scopes: only addresses inside the configured `networks` (every address when
     * none is configured), so outbound traffic to someone else's host never alerts.
     */
    ownOnly: z.boolean().default(false),
    when: condition,
    /** How long the condition must hold before the alert fires (pending until then). */
    for: seconds.default(0),
    /** The alert clears below this fraction of the threshold in force (hysteresis). */
    clearBelow: z.number().gt(0).max(1).default(0.8),
    /** …for this long. */
    clearFor: seconds.default(30_000),
    severity: z.enum(SEVERITIES).default('warning'),
    labels: z.record(z.string(), z.string()).default({}),
    description: z.string().default(''),
  })
  .superRefine((r, ctx) => {
    if (r.scope === 'total' && r.match !== undefined)
      ctx.addIssue({ code: 'custom', path: ['match'], message: 'match needs a dimension scope' });
    if (r.ownOnly && r.scope !== 'destination' && r.scope !== 'country.destination')
      ctx.addIssue({
        code: 'custom',
        path: ['ownOnly'],
        message: 'ownOnly needs a destination scope',
      });
    if (r.scope === 'total' && r.metric === 'share')
      ctx.addIssue({ code: 'custom', path: ['metric'], message: 'share needs a dimension scope' });
    if (r.scope.includes('.') && r.metric === 'sources')
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: 'pair scopes count traffic, not distinct sources: use bps, pps, fps or share',
      });
  });

export type RuleInput = z.input<typeof ruleSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type RuleCondition = Rule['when'];

/** A list of rules with unique names. */
export const rulesSchema = z.array(ruleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate rule ${r.name}` });
    seen.add(r.name);
  });
});

/** Settings shared by every rule. */
export const alertingSchema = z
  .strictObject({
    /** How far back a baseline looks. */
    baselineWindow: seconds.default(1_800_000),
    /** One baseline sample (the mean of the metric) per this many ms. */
    sampleEvery: seconds.default(10_000),
    /** Samples a baseline needs before a rule can fire on it. */
    minSamples: z.number().int().min(1).default(18),
    /**
     * A series that fires again after its alert resolved raises a new alert (an episode); one
     * that starts within this of the previous one's end joins its incident.
     */
    refireGrace: seconds.default(300_000),
    /**
     * A pending alert is shown (sent to browsers, kept in the store) only once it has been
     * pending this long, or when it fires: a noisy series that crosses its threshold for a
     * second or two and falls back makes no noise. The REST API lists it at once. 0 = at once.
     */
    showPendingAfter: seconds.default(3_000),
    /** While pending or firing, an alert is re-sent this often with fresh values. */
    updateEvery: seconds.default(5_000),
    /** How far behind the newest complete second detection runs: room for late records (Kafka). */
    delay: seconds.default(0),
    /**
     * Time of day: baselines also look at the same slot of the day on previous days, from the
     * minute rollups (`retention.rollups` bounds how many days exist). `days: 0` turns it off.
     */
    seasonal: z
      .strictObject({
        days: z.number().int().min(0).max(28).default(7),
        minDays: z.number().int().min(1).max(28).default(1),
        slot: seconds
          .refine((ms) => ms >= 60_000 && ms <= 3_600_000, 'between 1m and 1h')
          .default(600_000),
      })
      .default({ days: 7, minDays: 1, slot: 600_000 }),
    /** Series tracked per rule (keys of its dimension); the quietest are dropped past it. */
    maxSeries: z.number().int().min(1).default(5_000),
    /** Outbound webhooks: a POST when an alert fires and when it resolves. */
    webhooks: z
      .array(
        z.strictObject({
          url: z.url({ protocol: /^https?$/ }),
          format: z.enum(['json', 'slack']).default('json'),
          minSeverity: z.enum(SEVERITIES).default('warning'),
          timeout: seconds.default(5_000),
          retries: z.number().int().min(0).max(10).default(3),
        }),
      )
      .default([]),
    /** Resolved alerts kept for the API, and for how long. */
    keepResolved: z.number().int().min(0).default(500),
    keepFor: seconds.default(86_400_000),
  })
  .default({
    baselineWindow: 1_800_000,
    sampleEvery: 10_000,
    minSamples: 18,
    refireGrace: 300_000,
    showPendingAfter: 3_000,
    updateEvery: 5_000,
    delay: 0,
    seasonal: { days: 7, minDays: 1, slot: 600_000 },
    maxSeries: 5_000,
    webhooks: [],
    keepResolved: 500,
    keepFor: 86_400_000,
  });
export type AlertingSettings = z.output<typeof alertingSchema>;

/** Threshold of a rule given its series' baseline (null while a baseline rule is warming up). */
export function thresholdOf(
  when: RuleCondition,
  baseline: { median: number; mad: number; warm: boolean; samples?: number } | null,
): number | null {
  if ('above' in when) {
    if (when.usual === undefined || !baseline || !baseline.samples) return when.above;
    return Math.max(when.above, when.usual * baseline.median);
  }
  if (!baseline || !baseline.warm) return null;
  if ('baseline' in when) return Math.max(when.baseline.k * baseline.median, when.baseline.floor);
  // 1.4826 × MAD estimates σ for normal data, robust to the outliers an attack brings
  const sigma = 1.4826 * baseline.mad;
  return Math.max(baseline.median + when.zscore.z * sigma, when.zscore.floor);
}

/** Whether a rule needs learned baselines. */
export function needsBaseline(rule: Rule): boolean {
  return !('above' in rule.when) || rule.when.usual !== undefined;
}
