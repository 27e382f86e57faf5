import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { DIMENSIONS, type Alert, type TopGroups } from '@surgewatch/shared';
import { Aggregator, aggregatorOptions } from './aggregate/index.js';
import { createAlertDesk } from './alertDesk.js';
import { createAudit, createAuthenticator, hashToken } from './auth/index.js';
import type { Config } from './config/index.js';
import { createMemoryStore, DEFAULT_RULES, rulesSchema, type AlertStore } from './detect/index.js';
import { createDetectReader } from './detectReader.js';
import { createEnricher, createGeoLookup, openAsnTable, openCountryTable } from './enrich/index.js';
import { createHttpServer } from './http/index.js';
import { createDemoSource } from './ingest/demo/index.js';
import type { CheckpointSink, FlowSource } from './ingest/source.js';
import type { Component } from './lifecycle.js';
import { alertMetrics, createRegistry, pipelineMetrics, publishMetrics } from './metrics.js';
import { createLoopLag } from './loopLag.js';
import { createPipeline } from './pipeline.js';
import { createPipelineWorkers, defaultWorkerCount } from './pipelineWorkers.js';
import { createPublisher } from './publish/index.js';
import { createWebhooks } from './publish/webhooks.js';
import { createRulesWatcher } from './rulesWatcher.js';

/** Builds the Kafka source; injected so the demo build path never loads kafkajs. */
export type KafkaSourceFactory = (
  config: NonNullable<Config['kafka']>,
  deps: {
    pipeline: CheckpointSink;
    logger: Logger;
    registry: ReturnType<typeof createRegistry>;
    now: () => number;
    /** Per-second history to read back from Kafka at start-up, ms. */
    restoreWindowMs: number;
    onFatal?: ((err: Error) => void) | undefined;
    /** True while the event loop runs late: the source pauses its input (backpressure). */
    isBehind?: () => boolean;
  },
) => FlowSource;

/** Builds the Kafka-backed alert store (replayed at start); injected like the Kafka source. */
export type AlertStoreFactory = (
  config: NonNullable<Config['kafka']>,
  deps: { logger: Logger },
) => AlertStore &
  Component & {
    /** Alerts another instance changed (acknowledged), as they arrive. */
    onRemote?: (listener: (alert: Alert) => void) => () => void;
  };

export interface App {
  /** Components in start order. */
  components: Component[];
  http: ReturnType<typeof createHttpServer>;
  source: FlowSource;
}

/** The built client, two levels above this file in both src/ and dist/. */
export function defaultClientDir(): string {
  return fileURLToPath(new URL('../../client/dist/', import.meta.url));
}

/**
 * The composition root's wiring: builds every component from validated config and explicit
 * dependencies. No I/O happens here except opening the GeoIP table.
 */
export async function buildApp(
  config: Config,
  deps: {
    logger: Logger;
    now: () => number;
    kafkaSource?: KafkaSourceFactory | undefined;
    /** Kafka mode: the durable alert store; absent = alerts in memory. */
    alertStore?: AlertStoreFactory | undefined;
    /** A component hit an error the process must not survive: stop everything, exit non-zero. */
    onFatal?: ((err: Error) => void) | undefined;
    /** The first-start admin token (no credential configured); its login URL is printed. */
    generatedToken?: { token: string; file: string; created: boolean } | undefined;
    /** Signs session cookies (auth.sessionSecret, or the one kept in stateDir). */
    sessionSecret?: Buffer | undefined;
    /** Where the login URL goes (stderr at the edge); absent = not printed. */
    announce?: ((text: string) => void) | undefined;
  },
): Promise<App> {
  const { logger, now } = deps;
  const registry = createRegistry();
  const loopLag = createLoopLag(registry);
  const [countryTable, asn] = await Promise.all([
    openCountryTable(config.geoip.countryDb),
    openAsnTable(config.geoip.asnDb),
  ]);
  const enricher = createEnricher({
    geo: createGeoLookup(countryTable),
    asn,
    networks: config.networks,
    regionGroups: config.regionGroups,
  });
  const aggOptions = aggregatorOptions({
    retentionMs: config.retention.window,
    sealAfterMs: config.retention.sealAfter,
    rollupRetentionMs: config.retention.rollups,
  });
  const aggregator = new Aggregator(aggOptions);
  const pMetrics = pipelineMetrics(registry);
  // Kafka: detection looks at a second as soon as the batch holding its records is shown (sealed,
  // before its checkpoint commits; kafkaCheckpoint.ts)
  let onApplied = (): void => undefined;
  const useKafka =
    config.source === 'kafka' || (config.source === 'auto' && config.kafka !== undefined);
  // Kafka: enrichment and aggregation run on worker threads beside the consumer
  const workerCount = useKafka ? (config.kafka?.workers ?? defaultWorkerCount()) : 0;
  const workers =
    workerCount > 0
      ? createPipelineWorkers(
          workerCount,
          {
            countryDb: config.geoip.countryDb,
            asnDb: config.geoip.asnDb,
            networks: config.networks,
            regionGroups: config.regionGroups,
            aggregator: aggOptions,
            ...(config.kafka
              ? {
                  decode: {
                    format: config.kafka.format,
                    defaultSampling: config.kafka.defaultSampling,
                    maxMessageBytes: config.kafka.maxMessageBytes,
                    maxFutureMs: config.kafka.maxFutureMs,
                    maxPastMs: config.kafka.maxPastMs,
                  },
                }
              : {}),
          },
          {
            logger: logger.child({ component: 'pipeline-workers' }),
            onAsnNames: (names) => asn.addNames?.(names),
          },
        )
      : undefined;
  const pipeline = createPipeline(enricher, aggregator, pMetrics, {
    now,
    onApplied: () => onApplied(),
    workers,
  });
  let source: FlowSource;
  if (useKafka) {
    if (!config.kafka) throw new Error('source: kafka needs a kafka section with brokers');
    if (!deps.kafkaSource) throw new Error('the Kafka source is not available in this build');
    source = deps.kafkaSource(config.kafka, {
      pipeline,
      logger: logger.child({ component: 'kafka' }),
      registry,
      now,
      restoreWindowMs: config.retention.window,
      onFatal: deps.onFatal,
      isBehind: () => loopLag.behind() || (workers?.busy() ?? false),
    });
  } else {
    source = createDemoSource(
      {
        seed: config.demo.seed,
        loopMs: config.demo.loop,
        baselineFps: config.demo.baselineFps,
        backfillMs: config.demo.backfill,
      },
      { sink: pipeline.sink, now },
    );
  }

  const name = (key: string): string => enricher.name('country', key);
  /**
   * The live top tables average the last 5 s, like the country table: one second alone jumps
   * about, and under a flood of short flows it is the one still filling.
   */
  const TOP_SPAN_MS = 5_000;
  const top = (t: number): TopGroups => {
    const out = {} as TopGroups;
    for (const d of DIMENSIONS) {
      out[d] = aggregator
        .top(t, d, config.live.topN, { spanMs: TOP_SPAN_MS })
        .map((e) => ({ ...e, name: enricher.name(d, e.key) }));
    }
    return out;
  };

  // eviction runs on its own clock so memory stays bounded even with no viewers
  let evictTimer: NodeJS.Timeout | undefined;
  const housekeeping: Component = {
    name: 'housekeeping',
    async start() {
      aggregator.advance(now());
      evictTimer = setInterval(() => {
        aggregator.advance(now());
        pMetrics.buckets.set(aggregator.getStats().buckets);
      }, 5_000);
    },
    async stop() {
      if (evictTimer) clearInterval(evictTimer);
    },
  };

  const notReadyReason = (): string | null => {
    const s = source.status();
    if (!s.connected) return `source ${s.kind} disconnected${s.message ? `: ${s.message}` : ''}`;
    // Kafka: tolerate a normal backlog; the demo: ready once its history is generated
    if (s.lag !== null && s.lag > (s.kind === 'kafka' ? 100_000 : 0))
      return `source ${s.kind} catching up (lag ${s.lag} records)`;
    return null;
  };

  // Kafka mode: alert history in surgewatch.alerts, replayed at start; the demo: in memory
  const kafkaStore =
    useKafka && config.kafka && deps.alertStore
      ? deps.alertStore(config.kafka, { logger })
      : undefined;
  const rules = config.rules ?? rulesSchema.parse(DEFAULT_RULES);
  const alerts = createAlertDesk({
    rules,
    settings: config.alerting,
    store: kafkaStore ?? createMemoryStore(),
    reader: createDetectReader(aggregator, enricher),
    now,
    ready: () => notReadyReason() === null,
    // baselines start from the retained history (the demo's backfill, Kafka's restored window)
    catchUpMs: Math.min(config.alerting.baselineWindow, config.retention.window),
    oldest: () => aggregator.bucketTimes()[0] ?? null,
    touched: () => aggregator.takeTouched(),
    metrics: alertMetrics(registry),
    ...(useKafka && config.kafka
      ? {
          // instances share their silences through Kafka: ids must not meet
          silenceIdPrefix: `sil-${config.kafka.instanceId}`,
          visibleUntil: () => pipeline.visibleUntil(),
          // records reach the consumer within its fetch wait (200 ms) of their arrival; past
          // that, an idle input is quiet, not late
          settleMs: 300,
          patienceMs: 2 * config.kafka.commitIntervalMs + 1_000,
        }
      : {}),
  });
  onApplied = () => {
    try {
      alerts.evaluate(Math.floor(now() / 1000) * 1000 - 1000);
    } catch (err) {
      logger.error({ err }, 'alert evaluation failed');
    }
  };

  // several instances: an acknowledgement made on another one reaches this one's browsers
  kafkaStore?.onRemote?.((alert) => alerts.relay([{ type: 'upsert', alert }]));

  const auth = createAuthenticator(config.auth, {
    now,
    generatedTokenHash: deps.generatedToken ? hashToken(deps.generatedToken.token) : undefined,
    // without a kept secret (tests, mode none) sessions last as long as the process
    sessionSecret: deps.sessionSecret ?? randomBytes(32),
  });
  const audit = createAudit(logger, registry);
  if (config.auth.mode === 'none') {
    logger.warn(
      'auth.mode is none: anyone who reaches this port sees everything and acts as admin',
    );
  }
  const tls = config.server.tls
    ? { cert: readFileSync(config.server.tls.cert), key: readFileSync(config.server.tls.key) }
    : undefined;

  const http = createHttpServer(
    {
      host: config.server.host,
      port: config.server.port,
      clientDir: config.server.clientDir || defaultClientDir(),
      tls,
      corsOrigins: config.server.corsOrigins,
      trustedProxies: config.server.trustedProxies,
      metricsOpen: config.auth.metrics === 'none',
      loginRateLimit: config.auth.loginRateLimit,
    },
    {
      logger,
      registry,
      now,
      notReadyReason,
      alerts,
      auth,
      audit,
      traffic: (q) =>
        q.country === undefined
          ? aggregator.range(q.from, q.to, q.step, q.by, q.metric, q.top)
          : aggregator.drill(q.from, q.to, q.step, q.country, q.by, q.metric, q.top),
      name: (by, key) => enricher.name(by, key),
      onListening: (port) => {
        logger.info({ port, host: config.server.host, tls: tls !== undefined }, 'listening');
        const gen = deps.generatedToken;
        if (gen) {
          // the token goes to the terminal, never into the structured (shipped) log
          logger.info(
            { file: gen.file, created: gen.created },
            'no credential configured: admin token generated (docs/security.md)',
          );
          const host = ['0.0.0.0', '::', ''].includes(config.server.host)
            ? 'localhost'
            : config.server.host;
          const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}/login?token=${gen.token}`;
          deps.announce?.(
            `\nsurgewatch: open ${url}\n  (admin token kept in ${gen.file}; configure auth to replace it)\n\n`,
          );
        }
      },
    },
  );

  const publisher = createPublisher(
    {
      windowMs: config.live.window,
      tickPoints: config.live.tickPoints,
      maxHttpBufferSize: 16 * 1024,
      eventsPerSec: config.auth.socketEventsPerSec,
      corsOrigins: config.server.corsOrigins,
    },
    {
      httpServer: () => http.server(),
      auth,
      audit,
      logger,
      metrics: publishMetrics(registry),
      now,
      alerts,
      view: {
        points: (from, to) => {
          const points = aggregator.points(from, to, config.live.topN);
          if (alerts) {
            // the total's normal band rides along with each second, for the chart
            for (const p of points) {
              const band = alerts.band(p.t);
              if (band) p.band = band;
            }
          }
          return points;
        },
        source: () => source.status(),
        alerts: () => alerts.current(),
        name,
        top,
        ready: () => notReadyReason() === null,
      },
    },
  );

  const webhooks = createWebhooks(
    config.alerting.webhooks.map((w) => ({ ...w, timeoutMs: w.timeout })),
    { logger },
  );
  alerts.onUpdate((u) => webhooks.onUpdate(u));

  const rulesWatcher = config.rulesFile
    ? createRulesWatcher(
        { file: config.rulesFile, initial: rules, pollMs: 2_000 },
        { logger, apply: (r) => alerts.setRules(r) },
      )
    : undefined;

  // the alert store replays its history before anything evaluates or serves alerts
  const pipelineThreads: Component | undefined = workers && {
    name: 'pipeline-workers',
    start: () => workers.start(),
    stop: () => workers.stop(),
  };
  const components = [
    loopLag,
    housekeeping,
    ...(pipelineThreads ? [pipelineThreads] : []),
    ...(kafkaStore ? [kafkaStore] : []),
    ...(rulesWatcher ? [rulesWatcher] : []),
    webhooks,
    http,
    publisher,
    source,
  ];
  return { components, http, source };
}
