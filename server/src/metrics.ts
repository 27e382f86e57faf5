import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process-wide metrics registry, with Node's default process metrics. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'surgewatch_' });
  return registry;
}

/** Metrics of the enrich → aggregate pipeline. */
export function pipelineMetrics(registry: Registry) {
  return {
    flows: new Counter({
      name: 'surgewatch_flows_total',
      help: 'Flow records aggregated',
      registers: [registry],
    }),
    late: new Counter({
      name: 'surgewatch_flows_late_total',
      help: 'Flow records that ended before the retention horizon: counted and dropped',
      registers: [registry],
    }),
    bytes: new Counter({
      name: 'surgewatch_flow_bytes_total',
      help: 'Bytes represented by aggregated flows (after sampling scale-up)',
      registers: [registry],
    }),
    buckets: new Gauge({
      name: 'surgewatch_aggregate_buckets',
      help: 'Per-second buckets held',
      registers: [registry],
    }),
  };
}

/** Metrics of the socket.io publisher. */
export function publishMetrics(registry: Registry) {
  return {
    sockets: new Gauge({
      name: 'surgewatch_sockets_connected',
      help: 'Connected browser sockets, by role (viewer, responder, admin)',
      labelNames: ['role'] as const,
      registers: [registry],
    }),
    connections: new Counter({
      name: 'surgewatch_socket_connections_total',
      help: 'Browser sockets accepted, by role',
      labelNames: ['role'] as const,
      registers: [registry],
    }),
    emits: new Counter({
      name: 'surgewatch_socket_emits_total',
      help: 'Messages sent to browser sockets (one per socket), by event',
      labelNames: ['event'] as const,
      registers: [registry],
    }),
    volatileDropped: new Counter({
      name: 'surgewatch_socket_volatile_dropped_total',
      help: 'Volatile messages (ticks) not sent because the socket was still writing the previous ones, by event',
      labelNames: ['event'] as const,
      registers: [registry],
    }),
    catchUps: new Counter({
      name: 'surgewatch_socket_tick_catch_ups_total',
      help: 'Ticks sent to a socket that had missed some, carrying every second it missed',
      registers: [registry],
    }),
    ticks: new Counter({
      name: 'surgewatch_ticks_total',
      help: 'Ticks emitted',
      registers: [registry],
    }),
    tickSeconds: new Histogram({
      name: 'surgewatch_tick_duration_seconds',
      help: 'Time to build and emit one tick',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    }),
    snapshots: new Counter({
      name: 'surgewatch_snapshots_total',
      help: 'Whole-window snapshots sent, one per socket: on (re)connect, to a socket that missed too much, to every socket when the source catches up',
      registers: [registry],
    }),
  };
}

/** Metrics of detection and alerting. */
export function alertMetrics(registry: Registry) {
  return {
    alerts: new Gauge({
      name: 'surgewatch_alerts',
      help: 'Alerts held, by state',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    updates: new Counter({
      name: 'surgewatch_alert_updates_total',
      help: 'alert:update events sent (changes, acks, silences, refreshes)',
      registers: [registry],
    }),
    evaluationSeconds: new Histogram({
      name: 'surgewatch_alert_evaluation_seconds',
      help: 'Time to evaluate every rule over the newest second(s)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
    finalLag: new Gauge({
      name: 'surgewatch_detection_final_lag_seconds',
      help: 'How far behind now a second becomes final for detection (clearing, baselines): the delay within which 95 % of recent packets reached the live view',
      registers: [registry],
    }),
    revisedSeconds: new Counter({
      name: 'surgewatch_detection_revised_seconds_total',
      help: 'Seconds re-judged because late flows reached them after they were evaluated',
      registers: [registry],
    }),
  };
}
