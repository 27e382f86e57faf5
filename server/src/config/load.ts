import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Rule } from '../detect/rules.js';
import { readRulesFile } from './rulesFile.js';
import { configSchema, type Config } from './schema.js';

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
