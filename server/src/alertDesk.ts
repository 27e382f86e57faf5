import type {
  AckResult,
  Alert,
  AlertState,
  AlertUpdate,
  Silence,
  TrafficBand,
  WireError,
} from '@surgewatch/shared';
import type { alertMetrics } from './metrics.js';
import {
  ackRequestSchema,
  Detector,
  Lateness,
  silenceRequestSchema,
  type AlertingSettings,
  type AlertStore,
  type Rule,
  type TrafficReader,
} from './detect/index.js';

/** Seconds evaluated per call at most: catching up on history never stalls the event loop. */
const MAX_CATCH_UP = 60;
/** Resolved alerts a snapshot carries: the on-call view's recent past. */
const SNAPSHOT_RESOLVED_MS = 3_600_000;
const SNAPSHOT_MAX = 100;

export interface AlertDeskDeps {
  rules: readonly Rule[];
  settings: AlertingSettings;
  store: AlertStore;
  reader: TrafficReader;
  now: () => number;
  /** False while the source catches up: its seconds are not complete yet. */
  ready: () => boolean;
  /** History (ms) evaluated once ready, so baselines start warm from what is retained. */
  catchUpMs: number;
  /** The oldest second held, ms epoch (null when none): catching up starts no earlier. */
  oldest: () => number | null;
  metrics?: ReturnType<typeof alertMetrics>;
  /** Start of silence ids: unique per instance where instances share alerts. */
  silenceIdPrefix?: string;
  /**
   * The seconds (ms epoch) that received flows since the last call, with their packets (the
   * aggregator's `takeTouched`): seconds already judged are judged again, and how late flows
   * come sets when a second is final.
   */
  touched?: () => ReadonlyMap<number, number>;
  /**
   * Kafka: the newest moment (ms epoch) up to which what the source read is in the live view,
   * or null. A second is final (it may clear an alert and teach a baseline) only once what was
   * read `settleMs` after the lateness horizon past its end is visible, or `patienceMs` after
   * that without it (an idle input). Without it (the demo) the lateness horizon alone decides.
   */
  visibleUntil?: () => number | null;
  /** Records reach the source within this of their arrival, ms (fetch wait). */
  settleMs?: number;
  /** A second is final this long after the lateness horizon at the latest, ms. */
  patienceMs?: number;
}

/**
 * Alerting for the edges: evaluates each complete second once, validates acks and silences
 * from browsers and the REST API, and tells its listeners (the socket.io publisher) every
 * alert update.
 */
export interface AlertDesk {
  /** Evaluates every second up to `t` (start of the newest complete second, ms epoch). */
  evaluate(t: number): void;
  list(state?: AlertState): Alert[];
  /** Alerts for a (re)connecting browser: current ones and the last hour's resolved. */
  current(): Alert[];
  ack(req: unknown, by: string): AckResult<Alert>;
  silences(): Silence[];
  silence(req: unknown, by: string): AckResult<Silence>;
  unsilence(id: string): AckResult<{ id: string }>;
  rules(): Rule[];
  /** Replaces the rules (a reload); series of unchanged rules keep their state. */
  setRules(rules: readonly Rule[]): void;
  onUpdate(listener: (u: AlertUpdate) => void): () => void;
  /** Tells the listeners of changes made elsewhere (another instance's acknowledgement). */
  relay(updates: AlertUpdate[]): void;
  /** True once every second up to the newest asked for has been evaluated. */
  caughtUp(): boolean;
  /** The total's baseline band as it was at second `t`, when detection had one. */
  band(t: number): TrafficBand | undefined;
}

/** Seconds of baseline bands kept: the longest live chart window and a little more. */
const BANDS_KEPT = 3_700;

const fail = (code: WireError['code'], message: string) =>
  ({ ok: false, error: { code, message } }) as const;

export function createAlertDesk(deps: AlertDeskDeps): AlertDesk {
  const detector = new Detector(deps.rules, deps.settings, deps.store, deps.silenceIdPrefix);
  const listeners = new Set<(u: AlertUpdate) => void>();
  const send = (updates: AlertUpdate[]) => {
    deps.metrics?.updates.inc(updates.length);
    for (const u of updates) for (const l of listeners) l(u);
  };
  let next: number | null = null;
  /** The newest second evaluated so far, ms epoch. */
  let last: number | null = null;
  const lateness = new Lateness();
  /** Whether the last evaluate() reached the second it was asked for. */
  let current = false;
  /** Second → band, oldest first (seconds are evaluated in order). */
  const bands = new Map<number, TrafficBand>();
  const issues = (e: { issues: { path: PropertyKey[]; message: string }[] }) =>
    e.issues.map((i) => `${i.path.map(String).join('.') || 'request'}: ${i.message}`).join('; ');

  return {
    evaluate(newest) {
      if (!deps.ready()) return;
      const now = deps.now();
      // a second is judged as soon as it has ended: what has arrived of it fires a rule (late
      // flows only add), and flows that reach it later judge it again
      const t = newest - Math.ceil(deps.settings.delay / 1000) * 1000;
      const touched = deps.touched?.();
      if (next === null) {
        // start with the first second of traffic: a source may be ready before it has read any
        const oldest = deps.oldest();
        // no traffic yet: nothing to work through
        current = oldest === null;
        if (oldest === null) return;
        next = Math.max(t - Math.floor(deps.catchUpMs / 1000) * 1000, oldest);
        // a durable store has replayed its alerts by now: firing ones carry on
        send(detector.restore());
      }
      const revised: number[] = [];
      // what was restored before the first call is history, not lateness
      if (touched && last !== null) {
        for (const [s, packets] of touched) {
          lateness.observe(now, s, packets);
          if (s <= last) revised.push(s);
        }
      }
      deps.metrics?.revisedSeconds.inc(revised.length);
      const horizon = lateness.horizonMs(now);
      deps.metrics?.finalLag.set(horizon / 1000);
      let finalAt = now - horizon;
      if (deps.visibleUntil) {
        const seen = (deps.visibleUntil() ?? -Infinity) - (deps.settleMs ?? 0);
        finalAt = Math.min(finalAt, Math.max(seen, finalAt - (deps.patienceMs ?? 0)));
      }
      // seconds that ended by finalAt
      const finalBefore = Math.floor(finalAt / 1000) * 1000;
      const end = deps.metrics?.evaluationSeconds.startTimer();
      const from = next;
      for (let n = 0; next <= t && n < MAX_CATCH_UP; n++, next += 1000) {
        send(
          detector.evaluate(next, deps.reader, {
            finalBefore,
            revised: n === 0 ? revised : [],
          }),
        );
        last = next;
        const band = detector.band();
        if (band) bands.set(next, band);
        if (bands.size > BANDS_KEPT) bands.delete(bands.keys().next().value as number);
      }
      // no new second, but late flows (or more of the newest second's) arrived: judge again
      if (next === from && last !== null && revised.length > 0)
        send(detector.evaluate(last, deps.reader, { finalBefore, revised }));
      if (next > from || revised.length > 0) end?.();
      current = next > t;
      if (deps.metrics) {
        const counts = { pending: 0, firing: 0, resolved: 0 };
        for (const a of deps.store.list()) counts[a.state]++;
        counts.pending += detector.quietCount();
        for (const [state, n] of Object.entries(counts)) deps.metrics.alerts.set({ state }, n);
      }
    },
    band: (t) => bands.get(t),
    caughtUp: () => current,
    list(state) {
      // with the pending alerts not shown to browsers yet (alerting.showPendingAfter)
      const all = [...deps.store.list(), ...detector.quietPending()].sort(
        (a, b) => b.startedAt - a.startedAt,
      );
      return state ? all.filter((a) => a.state === state) : all;
    },
    current() {
      const since = deps.now() - SNAPSHOT_RESOLVED_MS;
      return deps.store
        .list()
        .filter((a) => a.state !== 'resolved' || (a.resolvedAt ?? 0) >= since)
        .slice(0, SNAPSHOT_MAX);
    },
    ack(req, by) {
      const parsed = ackRequestSchema.safeParse(req);
      if (!parsed.success) return fail('bad_request', issues(parsed.error));
      const res = detector.acknowledge(parsed.data.id, by, parsed.data.note ?? '', deps.now());
      if (!res) return fail('not_found', `no alert or incident ${parsed.data.id}`);
      send(res.updates);
      return { ok: true, data: res.alerts[0] as Alert };
    },
    silences: () => deps.store.silences(),
    silence(req, by) {
      const parsed = silenceRequestSchema.safeParse(req);
      if (!parsed.success) return fail('bad_request', issues(parsed.error));
      const { silence, updates } = detector.silence(parsed.data, by, deps.now());
      send(updates);
      return { ok: true, data: silence };
    },
    unsilence(id) {
      const updates = detector.unsilence(id, deps.now());
      if (!updates) return fail('not_found', `no silence ${id}`);
      send(updates);
      return { ok: true, data: { id } };
    },
    rules: () => detector.rules(),
    setRules: (rules) => detector.setRules(rules),
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    relay: send,
  };
}
