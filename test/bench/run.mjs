// pnpm bench: runs every benchmark and writes docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machine } from './machine.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const only = process.argv.slice(2);
const suites = [
  ['pipeline', () => import('./pipeline.mjs')],
  ['kafka', () => import('./kafka.mjs').catch(() => null)],
  ['page', () => import('./page.mjs')],
  ['load', () => import('../load/run.mjs')],
  ['detection', () => import('./detection.mjs').catch(() => null)],
  ['captures', () => import('./captures.mjs')],
];

const sections = [];
for (const [name, load] of suites) {
  if (only.length && !only.includes(name)) continue;
  const mod = await load();
  if (!mod) continue;
  console.log(`== ${name}`);
  const r = await mod.run({ log: (s) => console.log(`   ${s}`) });
  sections.push(`## ${r.title}\n\nCommand: \`${r.command}\`\n\n${r.markdown}\n`);
}

const doc = `# Benchmarks

Measured by \`pnpm bench\`, which rewrites this file. Numbers are from one run on the machine
below; run it yourself for yours. Timed tests are not used for speed: they flake.

Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.

${sections.join('\n')}`;
if (!only.length) writeFileSync(`${root}docs/benchmarks.md`, doc);
else console.log(doc);
