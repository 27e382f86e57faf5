import type {
  AlertUpdate,
  SourceStatus,
  TopGroups,
  TrafficPoint,
  TrafficSnapshot,
  TrafficTick,
} from '@surgewatch/shared';
import type { ConnectionEvent, ConnectionState } from '../socket/connectionState.js';
import { initialConnection, nextConnection } from '../socket/connectionState.js';
import type { AlertMap } from './alerts.js';
import { alertsById, applyAlertUpdate } from './alerts.js';
import type { BufferLimits } from './pointBuffer.js';
import { DEFAULT_LIMITS, mergePoints } from './pointBuffer.js';

/** Everything the live views draw from. Replaced (never mutated) on every change. */
export interface LiveState {
  /** One point per second, oldest first, bounded by the store's limits. */
  points: readonly TrafficPoint[];
  /** Bucket width, ms (from the snapshot). */
  stepMs: number;
  source: SourceStatus | null;
  connection: ConnectionState;
  alerts: AlertMap;
  /** The top keys of every dimension in the newest second; null before the first snapshot. */
  top: TopGroups | null;
  /**
   * Older history fetched over REST (coarser points, country bps only), oldest first: the
   * chart draws it where the live buffer does not reach back.
   */
  history: readonly TrafficPoint[];
  /** Country code → English name, accumulated from snapshot and ticks. */
  names: Readonly<Record<string, string>>;
  /** Client clock, ms epoch, when the last snapshot or tick arrived; null before the first. */
  lastTickAt: number | null;
  /** The server's `now` in the last snapshot or tick, ms epoch. */
  serverNow: number | null;
  /** Server clock minus client clock at the last message, ms (ignores network delay). */
  clockOffsetMs: number;
  /** Client clock when the store was created, ms epoch. */
  startedAt: number;
}

export interface LiveStore {
  getState(): LiveState;
  /** Registers a listener called after changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  applySnapshot(snapshot: TrafficSnapshot): void;
  applyTick(tick: TrafficTick): void;
  setSource(status: SourceStatus): void;
  applyAlertUpdate(update: AlertUpdate): void;
  setHistory(points: readonly TrafficPoint[], names: Readonly<Record<string, string>>): void;
  connectionEvent(event: ConnectionEvent): void;
}

export interface LiveStoreOptions {
  limits?: BufferLimits;
  /** Client clock, ms epoch. */
  now?: () => number;
  /**
   * Runs the coalesced notification. Changes made in one task (a burst of socket packets
   * after a background tab wakes up) reach React as one render.
   */
  schedule?: (flush: () => void) => void;
}

const DEFAULT_STEP_MS = 1000;

/**
 * The one store of a page: fed by the socket outside React, read through selector hooks
 * (`useSyncExternalStore`). Listeners are notified at most once per scheduled flush.
 */
export function createLiveStore(options: LiveStoreOptions = {}): LiveStore {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const now = options.now ?? Date.now;
  // Wrapped: called unbound, the browser's queueMicrotask throws "Illegal invocation".
  const schedule = options.schedule ?? ((f: () => void) => queueMicrotask(f));
  const listeners = new Set<() => void>();
  let pending = false;

  const t0 = now();
  let state: LiveState = {
    points: [],
    stepMs: DEFAULT_STEP_MS,
    source: null,
    connection: initialConnection(t0),
    alerts: new Map(),
    top: null,
    history: [],
    names: {},
    lastTickAt: null,
    serverNow: null,
    clockOffsetMs: 0,
    startedAt: t0,
  };

  function flush(): void {
    pending = false;
    for (const listener of [...listeners]) listener();
  }

  function set(next: LiveState): void {
    if (next === state) return;
    state = next;
    if (!pending) {
      pending = true;
      schedule(flush);
    }
  }

  function withNames(names: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    for (const key in names) {
      if (state.names[key] !== names[key]) return { ...state.names, ...names };
    }
    return state.names;
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    applySnapshot(snapshot) {
      const at = now();
      set({
        ...state,
        // A snapshot is the server's whole truth: it replaces what we had.
        points: mergePoints([], snapshot.points, limits),
        stepMs: snapshot.stepMs > 0 ? snapshot.stepMs : DEFAULT_STEP_MS,
        source: snapshot.source,
        alerts: alertsById(snapshot.alerts),
        top: snapshot.top ?? null,
        names: withNames(snapshot.names),
        lastTickAt: at,
        serverNow: snapshot.now,
        clockOffsetMs: snapshot.now - at,
      });
    },
    applyTick(tick) {
      const at = now();
      set({
        ...state,
        points:
          tick.points.length > 0 ? mergePoints(state.points, tick.points, limits) : state.points,
        names: withNames(tick.names),
        top: tick.top ?? state.top,
        lastTickAt: at,
        serverNow: tick.now,
        clockOffsetMs: tick.now - at,
      });
    },
    setSource(status) {
      set({ ...state, source: status });
    },
    applyAlertUpdate(update) {
      const alerts = applyAlertUpdate(state.alerts, update);
      if (alerts !== state.alerts) set({ ...state, alerts });
    },
    setHistory(points, names) {
      set({ ...state, history: points, names: withNames(names) });
    },
    connectionEvent(event) {
      const connection = nextConnection(state.connection, event, now());
      if (connection !== state.connection) set({ ...state, connection });
    },
  };
}
