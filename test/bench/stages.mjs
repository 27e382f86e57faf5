// CPU time per flow of each pipeline stage on its own, for the same 300,000 demo flows as
// the pipeline benchmark (NDJSON messages of 100): JSON.parse, decode, enrich, aggregate.
// CPU time (process.cpuUsage), best of 7, so another process on the machine disturbs it less
// than wall time. Run: `pnpm build && node test/bench/stages.mjs`.
import { decodeMessage, emptyKeys, encodeSurgewatch } from '@surgewatch/server';
import { aggregator, benchSetup, demoFlows } from './pipeline.mjs';

const now = Date.now();
const { enricher, ctx } = await benchSetup(now);
const flows = demoFlows(now, 300_000);
const msgs = [];
for (let i = 0; i < flows.length; i += 100) msgs.push(encodeSurgewatch(flows.slice(i, i + 100)));
const decoded = msgs.map((m) => decodeMessage(m, 'surgewatch', ctx).flows);
const keyed = decoded.map((fs) =>
  fs.map((f) => {
    const k = emptyKeys();
    enricher.keys(f, k);
    return k;
  }),
);

function stage(name, fn) {
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  const us = (best * 1000) / flows.length;
  process.stdout.write(`${name.padEnd(10)} ${us.toFixed(2)} µs/flow\n`);
}

stage('JSON.parse', () => {
  for (const m of msgs) for (const l of m.toString().split('\n')) if (l) JSON.parse(l);
});
stage('decode', () => {
  for (const m of msgs) decodeMessage(m, 'surgewatch', ctx);
});
stage('enrich', () => {
  const k = emptyKeys();
  for (const fs of decoded) for (const f of fs) enricher.keys(f, k);
});
stage('aggregate', () => {
  // deltas of ~1 MiB (50 messages), merged, as the Kafka source does
  const a = aggregator();
  a.advance(now);
  let d = a.createDelta();
  for (let i = 0; i < decoded.length; i++) {
    const fs = decoded[i];
    const ks = keyed[i];
    for (let j = 0; j < fs.length; j++) d.add(fs[j], ks[j]);
    if (i % 50 === 49) {
      a.merge(d);
      d = a.createDelta();
    }
  }
  a.merge(d);
});
