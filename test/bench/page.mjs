/* global window */
// The wallboard page under load, in Debian's Chromium: 30 source countries (and 30 keys in
// every top table) per tick from a scripted socket.io server that serves the built client.
//
// Phase 1, real time: one tick a second for PAGE_REAL_S seconds (default 120); every long
// task (> 50 ms, PerformanceObserver 'longtask') is recorded.
// Phase 2, an hour of ticks: 3,600 ticks, one per PAGE_FAST_MS (default 40 ms), each a second
// later in server time; the page's JS heap is measured after a forced collection every
// simulated ten minutes. Bounded buffers show as a flat line.
//
// Build the client first (pnpm build), then: node test/bench/page.mjs (or pnpm bench page)
//
// Options (environment), for finding where the time goes; the defaults are the benchmark:
//   PAGE_DIST=dir             serve another build (compare two builds on the same machine state)
//   PAGE_PROFILE=file         CPU profile of phase 1 (.cpuprofile, opens in Chrome DevTools),
//                             and the functions with the most self time
//   PAGE_TRACE=file.json      trace of phase 1 (opens in DevTools' Performance panel), and the
//                             main thread's task durations
//   PAGE_HOUR=0               phase 2 cut to ten simulated minutes
//   PAGE_WINDOW=60            the chart's 60-minute window (default 15)
//   PAGE_VIEW=sources|targets another view of the wallboard (default: traffic, the chart)
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = process.env.PAGE_DIST ?? join(ROOT, 'client/dist');
const COUNTRIES = 30;
const REAL_S = Number(process.env.PAGE_REAL_S ?? 120);
const FAST_MS = Number(process.env.PAGE_FAST_MS ?? 40);
const PROFILE = process.env.PAGE_PROFILE;
const WITH_HOUR = process.env.PAGE_HOUR !== '0';
const TRACE = process.env.PAGE_TRACE;
/** The chart window the page opens with, minutes (5, 15 or 60). */
const WINDOW_MIN = Number(process.env.PAGE_WINDOW ?? 15);
/** The wallboard view measured: traffic (the chart, as documented), sources or targets. */
const VIEW = process.env.PAGE_VIEW ?? 'traffic';
const HOUR = 3600;

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};
const CODES = [
  'RU',
  'BR',
  'CN',
  'US',
  'DE',
  'FR',
  'NL',
  'GB',
  'IN',
  'VN',
  'ID',
  'TR',
  'UA',
  'PL',
  'IT',
  'ES',
  'KR',
  'JP',
  'TW',
  'TH',
  'AR',
  'MX',
  'CO',
  'ZA',
  'EG',
  'NG',
  'IR',
  'PK',
  'BD',
  'RO',
];
const DIMS = [
  'country',
  'region',
  'continent',
  'asn',
  'destination',
  'service',
  'protocol',
  'vector',
];

/** A deterministic wobble per key and second, so every tick changes every series. */
function rate(i, t) {
  const base = 4e9 / (i + 1);
  return Math.round(base * (1 + 0.3 * Math.sin(t / 7000 + i)));
}

function point(t) {
  const countries = CODES.slice(0, COUNTRIES).map((key, i) => ({
    key,
    bps: rate(i, t),
    pps: rate(i, t) / 8000,
    fps: 100 + i,
  }));
  const bps = countries.reduce((s, c) => s + c.bps, 0);
  return { t, total: { bps, pps: bps / 8000, fps: 3000 }, sources: 5000, countries };
}

function top(t) {
  const out = {};
  for (const d of DIMS) {
    out[d] = CODES.slice(0, COUNTRIES).map((code, i) => ({
      key: d === 'country' ? code : `${d}-${i}`,
      name: d === 'country' ? code : `${d} ${i}`,
      bps: rate(i, t),
      pps: rate(i, t) / 8000,
      fps: 10,
      sources: 100 + i,
      ratio: 1 + (i % 5),
    }));
  }
  return out;
}

const source = (t) => ({
  kind: 'replay',
  connected: true,
  lag: 0,
  recordsPerSec: 3000,
  decodeErrors: 0,
  lastRecordTs: t,
});

/** Starts the scripted server; `clock` is the server time the ticks carry. */
export async function startFakeServer(clock, dist = DIST) {
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end('{"error":{"code":"not_found","message":"scripted server"}}');
    }
    let file = normalize(join(dist, url.pathname));
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) {
      file = join(dist, 'index.html');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  const io = new Server(http, { transports: ['websocket'] });
  io.on('connection', (socket) => {
    const now = clock.t;
    const points = [];
    for (let t = now - 900_000; t < now; t += 1000) points.push(point(t));
    socket.emit('traffic:snapshot', {
      now,
      stepMs: 1000,
      points,
      source: source(now),
      alerts: [],
      names: Object.fromEntries(CODES.map((c) => [c, c])),
      top: top(now),
    });
  });
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  const tick = () => {
    clock.t += 1000;
    io.emit('traffic:tick', {
      now: clock.t,
      points: [point(clock.t - 1000)],
      names: {},
      top: top(clock.t),
    });
    io.emit('source:status', source(clock.t));
  };
  return {
    url: `http://127.0.0.1:${http.address().port}`,
    tick,
    close: () => new Promise((r) => io.close(() => r())),
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** "3 × 50–60 ms, 1 × 90–100 ms": long task durations in 10 ms bins. */
function histogram(durations) {
  if (durations.length === 0) return 'none';
  const bins = new Map();
  for (const d of durations) {
    const lo = Math.floor(d / 10) * 10;
    bins.set(lo, (bins.get(lo) ?? 0) + 1);
  }
  return [...bins.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([lo, n]) => `${n} × ${lo}–${lo + 10} ms`)
    .join(', ');
}

/** The functions with the most self time in a CPU profile (Profiler.stop's), as text lines. */
function topSelfTime(profile, n) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i]);
    const f = node.callFrame;
    if (f.functionName === '(idle)') continue;
    const file = f.url ? f.url.split('/').pop() : '';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [
    `busy ${(total / 1000).toFixed(0)} ms in all; most self time:`,
    ...rows.map(
      ([k, us]) =>
        `  ${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`,
    ),
  ].join('\n');
}

/** Records the renderer's top-level tasks (RunTask) until stop(), which returns their durations (ms). */
async function startTrace(cdp, file) {
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const e of value) events.push(e);
  });
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,toplevel',
    transferMode: 'ReportEvents',
  });
  return {
    async stop() {
      const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
      await cdp.send('Tracing.end');
      await done;
      writeFileSync(file, JSON.stringify({ traceEvents: events }));
      const tasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask');
      // the page's main thread has the most busy time; other threads (compositor, IO) are not the page
      const busy = new Map();
      for (const e of tasks) busy.set(e.tid, (busy.get(e.tid) ?? 0) + e.dur);
      const main = [...busy.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      return tasks.filter((e) => e.tid === main).map((e) => e.dur / 1000);
    },
  };
}

/** Percentiles of the main thread's tasks over 5 ms, and its busy time per tick. */
function taskSummary(durations, ticks) {
  const long = durations.filter((d) => d > 5).sort((a, b) => a - b);
  const pct = (p) =>
    long[Math.min(long.length - 1, Math.floor((p / 100) * long.length))]?.toFixed(1);
  const busy = durations.reduce((s, d) => s + d, 0);
  return `main-thread tasks over 5 ms: ${long.length} (p50 ${pct(50)} ms, p90 ${pct(90)} ms, p99 ${pct(99)} ms, max ${long.at(-1)?.toFixed(1)} ms); busy ${(busy / ticks).toFixed(0)} ms per tick`;
}

export async function run({ log = console.log } = {}) {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('build the client first: pnpm build');
  const clock = { t: Math.floor(Date.now() / 1000) * 1000 };
  const server = await startFakeServer(clock);
  const dir = mkdtempSync(join(tmpdir(), 'surgewatch-page-'));
  const browser = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1920, height: 1080 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
      }).observe({ type: 'longtask', buffered: true });
    });
    const view = VIEW === 'traffic' ? '' : `&view=${VIEW}`;
    await page.goto(`${server.url}/?window=${WINDOW_MIN}${view}`, { waitUntil: 'load' });
    await page.locator(`[data-testid="view-${VIEW}"]`).waitFor();
    if (VIEW === 'traffic') {
      await page.locator('[data-testid="chart"] path.recharts-area-area').first().waitFor();
    }
    const cdp = await browser.newCDPSession(page);
    await cdp.send('Performance.enable');
    const heapMiB = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? 0;
      return { heap: Math.round((used / 2 ** 20) * 10) / 10, nodes };
    };
    // the page's own start-up is not what is measured
    await sleep(3000);
    await page.evaluate(() => (window.__longTasks = []));

    log(`phase 1: ${REAL_S} s of ticks at 1 Hz, ${COUNTRIES} countries`);
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const tracing = TRACE ? await startTrace(cdp, TRACE) : null;
    for (let i = 0; i < REAL_S; i++) {
      server.tick();
      await sleep(1000);
    }
    const real = await page.evaluate(() => window.__longTasks);
    if (tracing) log(taskSummary(await tracing.stop(), REAL_S));
    if (PROFILE) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(PROFILE, JSON.stringify(profile));
      log(`CPU profile of phase 1: ${PROFILE}\n${topSelfTime(profile, 25)}`);
    }
    log(`long tasks: ${histogram(real)}`);

    const ticks = WITH_HOUR ? HOUR : 600;
    log(`phase 2: ${ticks} ticks (${ticks / 60} min of server time), one per ${FAST_MS} ms`);
    const samples = [{ minute: 0, ...(await heapMiB()) }];
    for (let i = 1; i <= ticks; i++) {
      server.tick();
      await sleep(FAST_MS);
      if (i % 600 === 0) {
        await sleep(500); // let the page catch up before measuring
        samples.push({ minute: i / 60, ...(await heapMiB()) });
        log(`  ${i / 60} min: heap ${samples.at(-1).heap} MiB, ${samples.at(-1).nodes} DOM nodes`);
      }
    }
    const shown = await page.getByTestId('total-bps').innerText();
    const after = samples.slice(1);
    const growth = after.at(-1).heap - after[0].heap;
    // the page keeps an hour of points and starts with the snapshot's 15 minutes (+2 of phase 1):
    // its buffer is full from +43 min
    const at50 = samples.find((x) => x.minute === 50);
    const full = at50 ? after.at(-1).heap - at50.heap : null;
    const signed = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
    const markdown = [
      `Phase 1 — ${REAL_S} ticks at 1 Hz with ${COUNTRIES} countries per tick and ${COUNTRIES} keys in each top table:`,
      `**${real.length} long tasks over 50 ms**${real.length ? ` (longest ${Math.max(...real)} ms; ${histogram(real)})` : ''} (target: none).`,
      '',
      `Phase 2 — an hour of ticks (3,600, one per ${FAST_MS} ms, so faster than real time and harder on the page); JS heap after a forced collection and DOM nodes, every simulated 10 minutes:`,
      '',
      '| server time | JS heap (MiB) | DOM nodes |',
      '|---|---|---|',
      ...samples.map((s) => `| +${s.minute} min | ${s.heap} | ${s.nodes} |`),
      '',
      `From +10 to +60 min the heap moved by ${signed(growth)} MiB (target: flat)${full !== null ? `; from +50 to +60 min, with the page's one-hour buffer full (it starts with the snapshot's 15 minutes), by ${signed(full)} MiB` : ''}. The page still showed a live total (${shown.replace(/\s+/g, ' ')}) at the end.`,
    ].join('\n');
    log(markdown);
    return {
      title: 'Wallboard page: long tasks and memory in Chromium',
      command: 'pnpm build && node test/bench/page.mjs',
      markdown,
      longTasks: real,
      samples,
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run();
  process.exitCode = r.longTasks.length === 0 ? 0 : 1;
}
