import ipaddr from 'ipaddr.js';
import { hostname } from 'node:os';
import { z } from 'zod';
import { alertingSchema, rulesSchema } from '../detect/rules.js';
import { INPUT_FORMATS } from '../ingest/decode/types.js';

const duration = z
  .union([
    z.number().int().nonnegative(),
    z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration like 30s, 15m, 1h'),
  ])
  .transform((v) => (typeof v === 'number' ? v : parseDuration(v)));

/** Parses "500ms", "30s", "15m", "1h", "2d" into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}

const cidr = z
  .string()
  .refine((s) => ipaddr.isValidCIDR(s), 'a CIDR like 203.0.113.0/24 or 2001:db8::/32');

const kafka = z.strictObject({
  brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'host:port')).min(1),
  topic: z.string().min(1).default('flows'),
  groupId: z.string().min(1).default('surgewatch'),
  clientId: z.string().min(1).default('surgewatch'),
  format: z.enum(INPUT_FORMATS).default('auto'),
  fromBeginning: z.boolean().default(false),
  defaultSampling: z.number().int().positive().default(1),
  maxMessageBytes: z.number().int().positive().default(1_048_576),
  maxFutureMs: duration.default(60_000),
  maxPastMs: duration.default(86_400_000),
  /**
   * This instance's name: the label on its partials and part of its transactional id
   * (`<groupId>-<instanceId>`). It must survive restarts (a pod or host name, not a pid) so a
   * restarted instance fences its predecessor and aborts its open transaction at once, and it
   * must differ between instances of one group (two with one id fence each other).
   */
  instanceId: z
    .string()
    .regex(/^[\w.-]{1,200}$/, 'letters, digits, ".", "_" and "-"')
    .default(() => `surgewatch-${hostname()}`),
  /** Where the aggregation state is checkpointed (created if missing, 25 h retention). */
  partialsTopic: z.string().min(1).default('surgewatch.partials'),
  /** Where every alert change, acknowledgement and silence is kept (created compacted if missing). */
  alertsTopic: z.string().min(1).default('surgewatch.alerts'),
  /** How often consumed records are checkpointed: one transaction per interval at most. */
  commitIntervalMs: duration.default(1_000),
  /**
   * Threads that enrich and aggregate consumed records beside the consumer (0: on the main
   * thread). Default: one fewer than the CPU cores, at most 8.
   */
  workers: z.number().int().min(0).max(64).optional(),
  dlq: z
    .strictObject({
      enabled: z.boolean().default(true),
      maxPerSec: z.number().positive().default(10),
    })
    .default({ enabled: true, maxPerSec: 10 }),
  ssl: z
    .union([
      z.boolean(),
      z.strictObject({
        ca: z.string().optional(),
        cert: z.string().optional(),
        key: z.string().optional(),
        rejectUnauthorized: z.boolean().optional(),
      }),
    ])
    .optional(),
  sasl: z
    .strictObject({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: z.string().min(1),
      password: z.string().min(1),
    })
    .optional(),
});

const service = z.strictObject({
  name: z.string().min(1),
  cidrs: z.array(cidr).min(1),
  ports: z.array(z.number().int().min(0).max(65535)).optional(),
});

export const ROLES = ['viewer', 'responder', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A stored secret: `sha256$<64 hex>` (high-entropy tokens) or `scrypt$…` (see auth/hash.ts). */
const secretHash = z
  .string()
  .regex(
    /^(sha256\$[0-9a-f]{64}|scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+)$/,
    'a hash from `surgewatch hash-token` or `surgewatch hash-password` (sha256$… or scrypt$…)',
  );
const credentialName = z.string().regex(/^[\w.@-]{1,64}$/, 'letters, digits, ".", "_", "@", "-"');

/**
 * An API or automation token: its hash in the file, or the name of an environment variable
 * that holds the token itself (`env: CI_TOKEN`), resolved and hashed at load.
 */
const tokenEntry = z
  .strictObject({
    name: credentialName,
    role: z.enum(ROLES).default('viewer'),
    hash: secretHash.optional(),
    env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
      .optional(),
  })
  .refine((t) => (t.hash === undefined) !== (t.env === undefined), 'exactly one of hash or env');

const authSchema = z
  .strictObject({
    /** `token`: credentials required (generated at first start when none is configured); `none`: open. */
    mode: z.enum(['token', 'none']).default('token'),
    /** Where the generated admin token and the session secret are kept (mode 0600); relative to the working directory. */
    stateDir: z.string().min(1).default('.surgewatch'),
    /** How long a login lasts. */
    sessionTtl: duration.default(43_200_000),
    /**
     * Signs session cookies (32+ characters). Absent = a random secret kept in stateDir (mode
     * 0600). Give every instance behind one load balancer the same, from the environment.
     */
    sessionSecret: z.string().min(32, 'at least 32 characters').optional(),
    tokens: z.array(tokenEntry).default([]),
    /** Wall screens: viewer-only tokens for `/login?token=…` kiosk URLs; remove one to revoke it. */
    displayTokens: z.array(z.strictObject({ name: credentialName, hash: secretHash })).default([]),
    /** People: a username, a role and a scrypt password hash; optional with `proxy`. */
    users: z
      .array(
        z.strictObject({
          username: credentialName,
          role: z.enum(ROLES).default('viewer'),
          password: secretHash.optional(),
        }),
      )
      .default([]),
    /** Trust an authenticating reverse proxy's user header, from these addresses only. */
    proxy: z
      .strictObject({
        header: z
          .string()
          .regex(/^[a-z0-9-]+$/, 'a lower-case header name')
          .default('x-forwarded-user'),
        trusted: z.array(cidr).min(1),
        /** Role of a proxy user not listed in `users`. */
        defaultRole: z.enum(ROLES).default('viewer'),
      })
      .optional(),
    /** `/metrics`: `token` (any credential, e.g. a bearer token) or `none` (open). */
    metrics: z.enum(['token', 'none']).default('token'),
    /** Login attempts per client address per minute. */
    loginRateLimit: z.number().int().positive().default(10),
    /** Socket events per connection per second (bursts of twice that pass). */
    socketEventsPerSec: z.number().positive().default(5),
  })
  // a name is who acts in acks and the audit log, and what a session is bound to: one each
  .superRefine((a, ctx) => {
    const lists = [
      ['tokens', a.tokens.map((t) => t.name)],
      ['displayTokens', a.displayTokens.map((t) => t.name)],
      ['users', a.users.map((u) => u.username)],
    ] as const;
    for (const [key, names] of lists) {
      names.forEach((n, i) => {
        if (names.indexOf(n) !== i)
          ctx.addIssue({ code: 'custom', path: [key, i], message: `${n} is listed twice` });
      });
    }
  });

export type AuthConfig = z.infer<typeof authSchema>;

/** The whole configuration file. Every key is optional: the defaults run the demo. */
export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().default('0.0.0.0'),
      port: z.number().int().min(0).max(65535).default(8080),
      /** Directory of the built client; empty = the bundled client/dist. */
      clientDir: z.string().default(''),
      /** HTTPS: PEM certificate (chain) and key paths; absent = plain HTTP. */
      tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
      /**
       * Reverse proxies (CIDRs) whose X-Forwarded-For / -Proto are believed: the client's own
       * address then keys the login rate limit and the audit log, and a proxy's HTTPS makes
       * the session cookie Secure. [] = the peer address is the client.
       */
      trustedProxies: z.array(cidr).default([]),
      /** Origins (scheme://host[:port]) allowed to call the API from another site; [] = same origin only. */
      corsOrigins: z
        .array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin like https://ops.example.org'))
        .default([]),
    })
    .default({ host: '0.0.0.0', port: 8080, clientDir: '', trustedProxies: [], corsOrigins: [] }),
  /** Who may see and act; absent = token auth with a generated admin token (docs/security.md). */
  auth: authSchema.default(() => authSchema.parse({})),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
  /** Which flow source feeds the pipeline. `auto`: Kafka when `kafka` is configured, else the demo. */
  source: z.enum(['auto', 'demo', 'kafka']).default('auto'),
  demo: z
    .strictObject({
      seed: z.number().int().default(1),
      /** Length of one scenario loop. */
      loop: duration.default(360_000),
      /** Flow records per second of ordinary traffic. */
      baselineFps: z.number().int().positive().max(100_000).default(300),
      /** History generated at start so charts are full at once. */
      backfill: duration.default(300_000),
    })
    .default({ seed: 1, loop: 360_000, baselineFps: 300, backfill: 300_000 }),
  kafka: kafka.optional(),
  geoip: z
    .strictObject({
      /** Path to a MaxMind GeoLite2 / DB-IP country .mmdb; empty = the bundled DB-IP Lite database. */
      countryDb: z.string().default(''),
      asnDb: z.string().default(''),
    })
    .default({ countryDb: '', asnDb: '' }),
  /** Our own networks: destinations named in views and alerts; sources inside them shown by name. */
  networks: z.array(service).default([]),
  /** Custom region groupings that override the database's sub-region, e.g. EU or Five Eyes. */
  regionGroups: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. DE')).min(1),
      }),
    )
    .default([]),
  retention: z
    .strictObject({
      /** Per-second history kept in memory. */
      window: duration.default(3_600_000),
      /** Per-minute rollups kept in memory. */
      rollups: duration.default(86_400_000),
      /** Seconds older than this are compacted: top keys per dimension kept, the rest summed as "other". */
      sealAfter: duration.default(10_000),
    })
    .default({ window: 3_600_000, rollups: 86_400_000, sealAfter: 10_000 }),
  live: z
    .strictObject({
      /** History sent to a browser on connect. */
      window: duration.default(900_000),
      /** Countries per point; the rest are summed into "other". */
      topN: z.number().int().min(1).max(50).default(12),
      /** Newest seconds re-sent in each tick, so late records correct recent points. */
      tickPoints: z.number().int().min(1).max(60).default(5),
    })
    .default({ window: 900_000, topN: 12, tickPoints: 5 }),
  /** Detection rules (README, "Detection and alerts"); absent = the built-in defaults, [] = none. */
  rules: rulesSchema.optional(),
  /** A YAML file of more rules (a list, or `rules:` with a list), relative to this file. */
  rulesFile: z.string().min(1).optional(),
  /** Baselines, re-fire grace and retention shared by every rule. */
  alerting: alertingSchema,
});

export type Config = z.infer<typeof configSchema>;
export type KafkaConfig = NonNullable<Config['kafka']>;
