// A spoofed flood: 1,000,000 distinct random sources a minute for 10 minutes of event time,
// through enrich + aggregate. Prints {perSecond, total, secs, rss[], heap[]} (MiB per minute).
// Run with --expose-gc so the live heap can be measured after a full collection.
// The heap is tuned as the server tunes it (tuneHeap); FLOOD_HEAP=v8 keeps V8's own heuristic.
import { Aggregator, aggregatorOptions, emptyKeys, tuneHeap } from '@surgewatch/server';
import { benchSetup } from './pipeline.mjs';

if (process.env.FLOOD_HEAP !== 'v8') tuneHeap();

const { enricher } = await benchSetup(Date.now());
const agg = new Aggregator(aggregatorOptions({ sealAfterMs: 10_000 }));
const keys = emptyKeys();
const t0 = Math.floor(Date.now() / 1000) * 1000 - 600_000;
agg.advance(t0);
const perSecond = Math.ceil(1_000_000 / 60);
const rss = [];
const heap = [];
let x = 0x9e3779b9;
const started = performance.now();
let total = 0;
for (let s = 0; s < 600; s++) {
  const t = t0 + s * 1000;
  const delta = agg.createDelta();
  for (let i = 0; i < perSecond; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const src = `${1 + (x % 223)}.${(x >>> 8) & 255}.${(x >>> 16) & 255}.${(x >>> 24) & 255}`;
    const end = t + (i % 1000);
    const f = {
      end,
      start: end,
      src,
      dst: `203.0.113.${i & 63}`,
      sport: 1024 + (i % 60000),
      dport: 443,
      proto: 6,
      bytes: 6000,
      packets: 100,
      sampling: 100,
      tcpFlags: 2,
      srcAs: 0,
      dstAs: 0,
      exporter: '',
    };
    enricher.keys(f, keys);
    delta.add(f, keys);
  }
  total += perSecond;
  agg.merge(delta);
  agg.advance(t + 1000);
  if (s % 60 === 59) {
    rss.push(process.memoryUsage().rss / 2 ** 20);
    globalThis.gc?.();
    heap.push(process.memoryUsage().heapUsed / 2 ** 20);
  }
}
process.stdout.write(
  JSON.stringify({ perSecond, total, secs: (performance.now() - started) / 1000, rss, heap }),
);
