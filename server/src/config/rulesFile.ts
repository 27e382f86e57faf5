import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { rulesSchema, type Rule } from '../detect/rules.js';

/**
 * Reads a rules file: a YAML list of rules, or a mapping with a `rules:` list. Returns the
 * validated rules, or the problems (each prefixed with the file and the rule's path).
 */
export function readRulesFile(file: string): { rules: Rule[] } | { problems: string[] } {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'), { uniqueKeys: true });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message.split('\n')[0];
    return { problems: [`${file}: cannot read rules (${reason})`] };
  }
  const list =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? (raw as { rules?: unknown }).rules
      : raw;
  const res = rulesSchema.safeParse(list ?? []);
  if (res.success) return { rules: res.data };
  return {
    problems: res.error.issues.map(
      (i) => `${file}: rules.${i.path.map(String).join('.')}: ${i.message}`,
    ),
  };
}
