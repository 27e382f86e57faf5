// decode + enrich + aggregate throughput per input format on one core, beside JSON.parse
// alone on the same messages (the limit), and memory under 1,000,000 spoofed sources a minute.
import {
  Aggregator,
  aggregatorOptions,
  createEnricher,
  createGeoLookup,
  createScenario,
  decodeMessage,
  emptyKeys,
  encodeGoflow2Json,
  encodeGoflow2Pb,
  encodePmacctJson,
  encodeSurgewatch,
  openAsnTable,
  openCountryTable,
} from '@surgewatch/server';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { si } from './machine.mjs';

const LOOP = 360_000;

export function aggregator() {
  return new Aggregator(aggregatorOptions());
}

/** Demo flows over one full scenario loop (calm, both waves), ending now. */
export function demoFlows(now, max) {
  const sc = createScenario({ seed: 7, loopMs: LOOP, baselineFps: 300 });
  const out = [];
  const start = now - LOOP;
  for (let t = start - (start % 1000); t < now && out.length < max; t += 1000)
    out.push(...sc.flowsForSecond(t));
  return out.slice(0, max);
}

function messages(format, flows) {
  const batch = format === 'surgewatch-ndjson' ? 100 : 1;
  const enc = {
    'surgewatch-ndjson': encodeSurgewatch,
    surgewatch: encodeSurgewatch,
    'goflow2-json': encodeGoflow2Json,
    'goflow2-pb': encodeGoflow2Pb,
    'pmacct-json': encodePmacctJson,
  }[format];
  const out = [];
  for (let i = 0; i < flows.length; i += batch) out.push(enc(flows.slice(i, i + batch)));
  return out;
}

function best(fn, runs = 3) {
  let bestMs = Infinity;
  let result;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = fn();
    bestMs = Math.min(bestMs, performance.now() - t0);
  }
  return { ms: bestMs, result };
}

/** The bundled GeoIP/ASN enricher and a decode context for flows ending around `now`. */
export async function benchSetup(now) {
  const [countries, asn] = await Promise.all([openCountryTable(''), openAsnTable('')]);
  const enricher = createEnricher({
    geo: createGeoLookup(countries),
    asn,
    networks: [],
    regionGroups: [],
  });
  const ctx = {
    now,
    defaultSampling: 1,
    maxMessageBytes: 4 << 20,
    maxFutureMs: 3_600_000,
    maxPastMs: 86_400_000,
  };
  return { enricher, ctx };
}

export async function run({ log }) {
  const now = Date.now();
  const { enricher, ctx } = await benchSetup(now);
  const flows = demoFlows(now, 300_000);
  const rows = [];
  for (const format of [
    'surgewatch-ndjson',
    'surgewatch',
    'goflow2-json',
    'goflow2-pb',
    'pmacct-json',
  ]) {
    const msgs = messages(format, flows);
    const decodeFormat = format === 'surgewatch-ndjson' ? 'surgewatch' : format;
    const limit =
      format === 'goflow2-pb'
        ? null
        : best(() => {
            let n = 0;
            for (const m of msgs) {
              const text = m.toString('utf8');
              for (const line of text.split('\n')) if (line) n += JSON.parse(line) ? 1 : 0;
            }
            return n;
          });
    const decodeOnly = best(() => {
      let n = 0;
      for (const m of msgs) n += decodeMessage(m, 'auto', ctx).flows.length;
      return n;
    });
    const full = best(() => {
      const agg = aggregator();
      agg.advance(now);
      const keys = emptyKeys();
      let n = 0;
      // batches of about 1 MiB, as kafkajs fetches them (maxBytesPerPartition)
      let delta = agg.createDelta();
      let bytes = 0;
      for (const m of msgs) {
        for (const f of decodeMessage(m, decodeFormat, ctx).flows) {
          enricher.keys(f, keys);
          delta.add(f, keys);
          n++;
        }
        bytes += m.length;
        if (bytes >= 1 << 20) {
          agg.merge(delta);
          delta = agg.createDelta();
          bytes = 0;
        }
      }
      agg.merge(delta);
      return n;
    });
    if (full.result !== flows.length)
      throw new Error(`${format}: aggregated ${full.result} of ${flows.length} flows`);
    const perSec = (x) => (flows.length / x.ms) * 1000;
    const row = {
      format,
      messages: msgs.length,
      jsonParse: limit ? perSec(limit) : null,
      decode: perSec(decodeOnly),
      full: perSec(full),
    };
    rows.push(row);
    log(
      `${format}: ${si(row.full)} flows/s full pipeline (${si(row.decode)} decode only${row.jsonParse ? `, ${si(row.jsonParse)} JSON.parse` : ''})`,
    );
  }

  // memory in a fresh process, so the throughput runs above do not inflate it: tuned as the
  // server is, then with V8's own heap growth for comparison
  const floodRun = (heapMode) =>
    new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['--expose-gc', fileURLToPath(new URL('./flood.mjs', import.meta.url))],
        { maxBuffer: 1 << 20, env: { ...process.env, FLOOD_HEAP: heapMode } },
        (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))),
      );
    });
  const flood = await floodRun('server');
  const { perSecond, total, secs: memSecs, rss, heap } = flood;
  log(
    `spoofed flood: RSS by minute ${rss.map((r) => r.toFixed(0)).join(', ')} MiB; live heap ${heap.map((r) => r.toFixed(0)).join(', ')} MiB`,
  );
  const v8flood = await floodRun('v8');
  log(
    `spoofed flood, V8's default heap growth: RSS by minute ${v8flood.rss.map((r) => r.toFixed(0)).join(', ')} MiB`,
  );

  const md = [
    '| input (messages) | JSON.parse alone (the limit) | decode only | decode + enrich + aggregate | share of the limit |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.format} (${r.messages.toLocaleString('en')}) | ${r.jsonParse ? `${si(r.jsonParse)}/s` : 'n/a (protobuf)'} | ${si(r.decode)}/s | **${si(r.full)}/s** | ${r.jsonParse ? (r.full / r.jsonParse).toFixed(2) : '—'} |`,
    ),
    '',
    `Flows: ${flows.length.toLocaleString('en')} from one loop of the demo scenario (calm, both waves). Best of 3 runs, one core; each ~1 MiB batch of messages (a kafkajs fetch) is aggregated into a delta and merged, exactly as the Kafka source does.`,
    '',
    `**Spoofed flood**: ${perSecond.toLocaleString('en')} flows/s from distinct random sources (1,000,000 a minute) for 10 minutes of event time (${total.toLocaleString('en')} flows in ${memSecs.toFixed(0)} s). RSS at the end of each minute (MiB): ${rss.map((r) => r.toFixed(0)).join(', ')}; peak ${Math.max(...rss).toFixed(0)} MiB. Live heap after a full GC (MiB): ${heap.map((r) => r.toFixed(0)).join(', ')}. A separate process (\`node --expose-gc test/bench/flood.mjs\`), so nothing else inflates it; the GeoIP and ASN tables account for about 40 MiB of the heap. The heap is tuned as the server tunes it at start (\`tuneHeap\`: old generation allowed to grow to twice the live data, \`--heap-growing-percent=100\`); the same flood with V8's own heuristic, measured right after in the same run: RSS ${v8flood.rss.map((r) => r.toFixed(0)).join(', ')} MiB (peak ${Math.max(...v8flood.rss).toFixed(0)} MiB) in ${v8flood.secs.toFixed(0)} s.`,
  ].join('\n');
  return {
    title: 'Pipeline: decode + enrich + aggregate, one core',
    command: 'pnpm bench (test/bench/pipeline.mjs)',
    markdown: md,
  };
}
