// pnpm bench: runs every benchmark and writes docs/benchmarks.md. `pnpm bench <name> …` runs
// those only and replaces their sections in docs/benchmarks.md (by title), each then saying when
// and on which machine it ran; the other sections stay as they were.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
  const ran = only.length
    ? `Run on its own: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.\n\n`
    : '';
  sections.push({
    title: r.title,
    text: `## ${r.title}\n\n${ran}Command: \`${r.command}\`\n\n${r.markdown}\n`,
  });
}

const doc = `# Benchmarks

Measured by \`pnpm bench\`, which rewrites this file from one run on the machine below;
\`pnpm bench <name>\` re-runs one benchmark and replaces its section, which then says when and
where it ran. Run it yourself for your machine. Timed tests are not used for speed: they flake.

Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.

${sections.map((x) => x.text).join('\n')}`;
const file = `${root}docs/benchmarks.md`;
if (!only.length) writeFileSync(file, doc);
else if (existsSync(file)) {
  // replace each section run (from its heading to the next "## "), or append it
  let text = readFileSync(file, 'utf8');
  for (const { title, text: section } of sections) {
    const head = `## ${title}\n`;
    const at = text.indexOf(head);
    if (at < 0) {
      text = `${text.trimEnd()}\n\n${section}`;
      continue;
    }
    const next = text.indexOf('\n## ', at + head.length);
    text = text.slice(0, at) + section + (next < 0 ? '' : `\n${text.slice(next + 1)}`);
  }
  writeFileSync(file, text);
  console.log(sections.map((x) => x.text).join('\n'));
} else console.log(doc);
