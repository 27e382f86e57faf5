import { statSync } from 'node:fs';
import type { Logger } from 'pino';
import { readRulesFile } from './config/rulesFile.js';
import type { Rule } from './detect/index.js';
import type { Component } from './lifecycle.js';

export interface RulesWatcherOptions {
  /** Absolute path of the rules file. */
  file: string;
  /** Every rule in force at start-up: the configuration's own plus the file's. */
  initial: readonly Rule[];
  /** How often the file's modification time is checked, ms. */
  pollMs: number;
}

/**
 * Reloads the rules file when it changes: a valid file replaces the rules that came from it
 * (the configuration's own rules stay), an invalid one is reported with every problem and the
 * previous rules are kept. Polls the file's stat, so editors that replace files and network
 * mounts work alike.
 */
export function createRulesWatcher(
  opts: RulesWatcherOptions,
  deps: { logger: Logger; apply: (rules: Rule[]) => void },
): Component {
  const log = deps.logger.child({ component: 'rules', file: opts.file });
  let inline: Rule[] = [...opts.initial];
  let seen = version(opts.file);
  let timer: NodeJS.Timeout | undefined;
  const poll = (): void => {
    const now = version(opts.file);
    if (now === seen) return;
    seen = now;
    const read = readRulesFile(opts.file);
    if ('problems' in read) {
      log.error({ problems: read.problems }, 'rules file invalid: keeping the previous rules');
      return;
    }
    const names = new Set(read.rules.map((r) => r.name));
    const clash = inline.filter((r) => names.has(r.name)).map((r) => r.name);
    if (clash.length > 0) {
      log.error({ rules: clash }, 'rules file redefines configured rules: keeping the previous');
      return;
    }
    deps.apply([...inline, ...read.rules]);
    log.info({ rules: read.rules.length }, 'rules reloaded');
  };
  return {
    name: 'rules-watcher',
    async start() {
      // the rules that came from the file at start-up are the ones a reload replaces
      // the version is taken before the read: a change in between is read again, never missed
      seen = version(opts.file);
      const read = readRulesFile(opts.file);
      const fromFile = new Set('rules' in read ? read.rules.map((r) => r.name) : []);
      inline = opts.initial.filter((r) => !fromFile.has(r.name));
      timer = setInterval(poll, opts.pollMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** The file's modification time and size, or 'missing'. */
function version(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}
