// CPU time per flow of each pipeline stage on its own, for the same 300,000 demo flows as
// the pipeline benchmark (NDJSON messages of 100): JSON.parse, decode, enrich, aggregate;
// then for what the load benchmark feeds the server: 200,000 flows of flowgen's baseline as
// goflow2 JSON, one record per message, whose flows last 0–4 s and so are spread over three
// seconds on average. CPU time (process.cpuUsage), best of 7, so another process on the
// machine disturbs it less than wall time. Run: `pnpm build && node test/bench/stages.mjs`.
import { decodeMessage, emptyKeys, encodeGoflow2Json, encodeSurgewatch } from '@surgewatch/server';
import { createBaseline } from '../../server/dist/flowgen/baseline.js';
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

function stage(name, fn, count = flows.length) {
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  const us = (best * 1000) / count;
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

// the load benchmark's input: flowgen's baseline, goflow2 JSON, one record a message
const baseline = createBaseline(1).flows(200_000, now - 60_000);
const records = baseline.map((f) => encodeGoflow2Json([f]));
const spread = baseline.reduce(
  (n, f) => n + Math.floor(f.end / 1000) - Math.floor(f.start / 1000) + 1,
  0,
);
process.stdout.write(
  `\nflowgen baseline as goflow2 JSON: ${records.length} records of ~${records[0].length} bytes, ${(spread / baseline.length).toFixed(2)} seconds a flow on average\n`,
);
const baseDecoded = records.map((m) => decodeMessage(m, 'goflow2-json', ctx).flows[0]);
const baseKeys = baseDecoded.map((f) => {
  const k = emptyKeys();
  enricher.keys(f, k);
  return k;
});
const n = records.length;
stage(
  'JSON.parse',
  () => {
    for (const m of records) JSON.parse(m.toString());
  },
  n,
);
stage(
  'decode',
  () => {
    for (const m of records) decodeMessage(m, 'goflow2-json', ctx);
  },
  n,
);
stage(
  'enrich',
  () => {
    const k = emptyKeys();
    for (const f of baseDecoded) enricher.keys(f, k);
  },
  n,
);
stage(
  'aggregate',
  () => {
    // deltas of ~5,000 flows, merged, as the pipeline worker does with its chunks
    const a = aggregator();
    a.advance(now - 61_000);
    let d = a.createDelta();
    for (let i = 0; i < n; i++) {
      d.add(baseDecoded[i], baseKeys[i]);
      if (i % 5000 === 4999) {
        a.merge(d);
        d = a.createDelta();
      }
    }
    a.merge(d);
  },
  n,
);
