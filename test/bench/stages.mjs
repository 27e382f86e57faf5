// CPU time per flow of each pipeline stage on its own, for the same 300,000 demo flows as
// the pipeline benchmark (NDJSON messages of 100): JSON.parse, decode, enrich, aggregate;
// then for what the load benchmark feeds the server: 200,000 flows of flowgen's baseline as
// goflow2 JSON, one record per message, whose flows last 0–4 s and so are spread over three
// seconds on average. CPU time (process.cpuUsage), best of 7, so another process on the
// machine disturbs it less than wall time. Last, the checkpoints of the freshness benchmark's
// spoofed flood (kafka.mjs): partial bytes and the CPU to encode them and read them back.
// Run: `pnpm build && node test/bench/stages.mjs`.
import {
  decodeMessage,
  emptyKeys,
  encodeGoflow2Json,
  encodePartials,
  encodeSurgewatch,
  mergePartial,
} from '@surgewatch/server';
import { createBaseline } from '../../server/dist/flowgen/baseline.js';
import { freshFlows } from './kafka.mjs';
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

// the freshness benchmark's input, one checkpoint (1 s of records) at a time, as a pipeline
// worker stages it: `flood` spoofed records and 1,000 baseline ones (lasting up to 20 s) a
// second; at 20,000 a second what kafka.mjs produces, and 4 × that to show what grows with it
function floodCheckpoints(flood) {
  const BASE = 1_000;
  let x = 0x9e3779b9;
  const rnd = () => (x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0);
  const live = aggregator();
  const t0 = now - (now % 1000) - 120_000;
  live.advance(t0);
  const k = emptyKeys();
  const runs = [];
  for (let s = 0; s < 26; s++) {
    const d = live.createDelta();
    for (let slice = 0; slice < 10; slice++) {
      const t = t0 + s * 1000 + slice * 100;
      const msg = encodeSurgewatch(freshFlows(t, flood / 10, BASE / 10, rnd));
      for (const f of decodeMessage(msg, 'surgewatch', ctx).flows) {
        enricher.keys(f, k);
        d.add(f, k);
      }
    }
    let c0 = process.cpuUsage();
    const parts = encodePartials(d, 'bench');
    const enc = process.cpuUsage(c0);
    const back = live.createDelta();
    c0 = process.cpuUsage();
    for (const p of parts) mergePartial(p.value, back);
    const read = process.cpuUsage(c0);
    live.merge(back);
    live.advance(t0 + (s + 1) * 1000);
    // the first 20 s fill the window the baseline's long flows reach into
    if (s >= 20) {
      runs.push({
        n: parts.length,
        bytes: parts.reduce((sum, p) => sum + p.value.length, 0),
        largest: Math.max(...parts.map((p) => p.value.length)),
        enc: (enc.user + enc.system) / 1000,
        read: (read.user + read.system) / 1000,
      });
    }
  }
  const med = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[runs.length >> 1];
  const records = flood + BASE;
  process.stdout.write(
    `spoofed flood ${flood / 1000} k/s, one checkpoint (${records} records): ${med('n')} partials, ${(med('bytes') / 1024).toFixed(0)} KiB (${(med('bytes') / records).toFixed(1)} bytes a record; largest partial ${(med('largest') / 1024).toFixed(0)} KiB); encode ${med('enc').toFixed(1)} ms, read back ${med('read').toFixed(1)} ms CPU (medians of ${runs.length})\n`,
  );
}

process.stdout.write('\n');
for (const flood of [20_000, 80_000]) floodCheckpoints(flood);
