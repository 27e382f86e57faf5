import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Rule } from '../detect/rules.js';
import { readRulesFile } from './rulesFile.js';
import { hashToken } from '../auth/hash.js';
import { configSchema, type AuthConfig, type Config } from './schema.js';

/** A configuration that cannot be used; `problems` lists every bad key at once. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  readonly retriable = false;
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** Path of the YAML file; undefined = defaults only. */
  file?: string | undefined;
  /** The environment to read overrides from (process.env at the edge). */
  env: Record<string, string | undefined>;
}

const ENV_PREFIX = 'SURGEWATCH_';
/** Variables with the prefix that are not config keys. */
const ENV_RESERVED = new Set(['SURGEWATCH_CONFIG', 'SURGEWATCH_CHECK']);
/** Token values named by `auth.tokens[].env` may use this prefix without being overrides. */
const ENV_TOKEN_PREFIX = 'SURGEWATCH_TOKEN_';
/** Shortest token accepted from the environment: it is stored with a fast hash. */
const MIN_ENV_TOKEN = 32;

/** True when no credential of any kind is configured: the first start generates an admin token. */
export function needsGeneratedToken(auth: AuthConfig): boolean {
  return (
    auth.mode === 'token' &&
    auth.tokens.length === 0 &&
    auth.displayTokens.length === 0 &&
    !auth.users.some((u) => u.password) &&
    auth.proxy === undefined
  );
}

/** Replaces each `env:` token by the hash of that variable's value, so no plaintext stays. */
function resolveEnvTokens(config: Config, env: LoadOptions['env'], problems: string[]): void {
  config.auth.tokens.forEach((t, i) => {
    if (t.env === undefined) return;
    const value = env[t.env];
    if (value === undefined || value === '') {
      problems.push(`auth.tokens.${i}.env: ${t.env} is not set`);
    } else if (value.length < MIN_ENV_TOKEN) {
      problems.push(`auth.tokens.${i}.env: ${t.env} is shorter than ${MIN_ENV_TOKEN} characters`);
    } else {
      t.hash = hashToken(value);
    }
    delete t.env;
  });
}

/** The TLS files must be readable now, not at the first connection. */
function checkTls(config: Config, problems: string[]): void {
  const tls = config.server.tls;
  if (!tls) return;
  for (const key of ['cert', 'key'] as const) {
    try {
      accessSync(tls[key], constants.R_OK);
    } catch (err) {
      problems.push(
        `server.tls.${key}: cannot read ${tls[key]} (${(err as NodeJS.ErrnoException).code})`,
      );
    }
  }
}

/**
 * Loads, merges and validates the configuration: the YAML file, then `SURGEWATCH_*`
 * environment overrides (`SURGEWATCH_KAFKA_BROKERS=a:9092,b:9092`, `SURGEWATCH_LOG_LEVEL=debug`),
 * then `PORT`. Throws ConfigError listing every problem.
 */
export function loadConfig(opts: LoadOptions): Config {
  const problems: string[] = [];
  let raw: unknown = {};
  if (opts.file) {
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (err) {
      throw new ConfigError([
        `${opts.file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      ]);
    }
    try {
      raw = parseYaml(text, { prettyErrors: true, uniqueKeys: true }) ?? {};
    } catch (err) {
      throw new ConfigError([
        `${opts.file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`,
      ]);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConfigError([`${opts.file}: the top level must be a mapping`]);
    }
  }
  const merged = structuredClone(raw) as Record<string, unknown>;
  applyEnv(merged, opts.env, problems);

  const result = configSchema.safeParse(merged);
  if (!result.success) problems.push(...formatIssues(result.error));
  const config = result.success ? (result.data as Config) : undefined;
  if (config) {
    resolveEnvTokens(config, opts.env, problems);
    checkTls(config, problems);
  }
  if (config?.rulesFile) {
    // relative to the config file, so a config and its rules move together
    const file = resolve(opts.file ? dirname(opts.file) : '.', config.rulesFile);
    // absolute from here on: the rules watcher reloads it
    config.rulesFile = file;
    const read = readRulesFile(file);
    if ('problems' in read) problems.push(...read.problems);
    else config.rules = mergeRules(config.rules ?? [], read.rules, problems);
  }
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return config;
}

/** Inline rules then the file's; a name used twice is a problem. */
function mergeRules(inline: Rule[], fromFile: Rule[], problems: string[]): Rule[] {
  const names = new Set(inline.map((r) => r.name));
  for (const r of fromFile) if (names.has(r.name)) problems.push(`rules: ${r.name} defined twice`);
  return [...inline, ...fromFile];
}

function formatIssues(error: z.ZodError): string[] {
  const out: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`${path ? `${path}.` : ''}${key}: unknown key`);
    } else {
      out.push(`${path || '(root)'}: ${issue.message}`);
    }
  }
  return out;
}

type Leaf = { path: string[]; kind: 'array' | 'scalar' };

/** Every leaf key of the schema, by its environment name (KAFKA_DLQ_MAXPERSEC). */
function envLeaves(): Map<string, Leaf> {
  const leaves = new Map<string, Leaf>();
  const walk = (schema: z.ZodType, path: string[]): void => {
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) {
      for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
        walk(child, [...path, key]);
      }
      return;
    }
    const kind = inner instanceof z.ZodArray ? 'array' : 'scalar';
    leaves.set(path.join('_').toUpperCase(), { path, kind });
  };
  walk(configSchema, []);
  return leaves;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodPipe) {
    s = s instanceof z.ZodPipe ? (s.in as z.ZodType) : (s.unwrap() as z.ZodType);
  }
  return s;
}

function applyEnv(
  target: Record<string, unknown>,
  env: LoadOptions['env'],
  problems: string[],
): void {
  const leaves = envLeaves();
  const set = (leaf: Leaf, value: string): void => {
    let parsed: unknown;
    try {
      parsed = parseYaml(value);
    } catch {
      parsed = value;
    }
    if (leaf.kind === 'array' && !Array.isArray(parsed)) {
      parsed = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    }
    let node = target;
    for (const key of leaf.path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        node[key] = {};
      }
      node = node[key] as Record<string, unknown>;
    }
    node[leaf.path.at(-1) as string] = parsed;
  };
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined || ENV_RESERVED.has(name)) continue;
    if (name.startsWith(ENV_TOKEN_PREFIX)) continue;
    const leaf = leaves.get(name.slice(ENV_PREFIX.length));
    if (!leaf) {
      problems.push(`${name}: unknown environment override (no such config key)`);
      continue;
    }
    set(leaf, value);
  }
  const port = env.PORT;
  if (port !== undefined && port !== '' && env.SURGEWATCH_SERVER_PORT === undefined) {
    set({ path: ['server', 'port'], kind: 'scalar' }, port);
  }
}
