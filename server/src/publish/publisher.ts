import type { Server as HttpServer } from 'node:http';
import type {
  AckResult,
  Alert,
  AlertUpdate,
  ClientToServerEvents,
  ServerToClientEvents,
  SourceStatus,
  TopGroups,
  TrafficPoint,
  TrafficSnapshot,
  TrafficTick,
  Silence,
} from '@surgewatch/shared';
import { Server, type Socket as IoSocket } from 'socket.io';
import type { Logger } from 'pino';
import {
  allows,
  createEventLimiter,
  type Audit,
  type Authenticator,
  type Principal,
} from '../auth/index.js';
import type { Component } from '../lifecycle.js';
import type { publishMetrics } from '../metrics.js';

/** What the publisher reads each second; main.ts wires it to the aggregator and source. */
export interface LiveView {
  /** Points for [from, to), oldest first. */
  points(from: number, to: number): TrafficPoint[];
  source(): SourceStatus;
  alerts(): Alert[];
  /** English name of a group key (country code or label). */
  name(key: string): string;
  /** The top keys of every dimension in second `t`. */
  top(t: number): TopGroups;
  /** True when the source is connected and caught up (its history generated or restored). */
  ready(): boolean;
}

export interface PublisherOptions {
  /** History in the snapshot, ms. */
  windowMs: number;
  /** Newest seconds re-sent per tick. */
  tickPoints: number;
  /** Largest accepted client message, bytes. */
  maxHttpBufferSize: number;
  /** Events a connection may send per second (bursts of twice that). */
  eventsPerSec: number;
  /** Other origins whose pages may open a socket; [] = same origin only. */
  corsOrigins: string[];
}

/** Alerting as the publisher drives it; main.ts passes the alert desk. */
export interface AlertFeed {
  /** Evaluates up to second `t` (the newest complete one, ms epoch). */
  evaluate(t: number): void;
  ack(req: unknown, by: string): AckResult<Alert>;
  silence(req: unknown, by: string): AckResult<Silence>;
  onUpdate(listener: (u: AlertUpdate) => void): () => void;
  /** False while detection is still working through the history (start-up, after an outage). */
  caughtUp?(): boolean;
}

/** What a connection proved at its handshake. */
interface SocketData {
  principal: Principal;
  /** The session it rode on, re-checked while connected (logout and expiry close it). */
  sessionId?: string | undefined;
  /** The newest second it has been sent (snapshot or tick), ms epoch. */
  lastT?: number;
}

/** The room of sockets that got every tick so far: one shared emit serves them. */
const CURRENT = 'ticks:current';
/**
 * Sockets that connected moments ago and wait for their first snapshot: they are sent nothing
 * else before it (it carries the alerts and the source status as of then), and all of them
 * share one snapshot, computed and encoded once — a wall of screens reconnecting after a
 * restart asked for a thousand copies of the whole window, which held every other emit up
 * for tens of seconds while the server was catching up.
 */
const PENDING = 'snapshot:pending';
/** How long a new socket's snapshot waits for others to share it, ms. */
const SNAPSHOT_COALESCE_MS = 25;
/** A socket that missed more than this is sent the whole window again, ms. */
const CATCH_UP_MAX_MS = 120_000;
/**
 * Sockets due the whole window again because the source became ready or detection caught up.
 * They are sent it in slices, RESYNC_SLICES of them one every RESYNC_SLICE_MS (at least
 * RESYNC_MIN_SLICE sockets a slice), not all at once: a wall of a thousand screens was sent a
 * thousand copies of a ~100 KiB window in one go, and the ticks queued behind those 100 MB
 * reached the last screens a third of a second late (on a 1 Gbit/s link, most of a second).
 */
const RESYNC = 'snapshot:resync';
const RESYNC_SLICES = 20;
const RESYNC_SLICE_MS = 100;
const RESYNC_MIN_SLICE = 25;

export interface PublisherDeps {
  httpServer: () => HttpServer;
  view: LiveView;
  /** Absent = acks and silences answer `unavailable`. */
  alerts?: AlertFeed;
  logger: Logger;
  metrics: ReturnType<typeof publishMetrics>;
  now: () => number;
  auth: Authenticator;
  audit: Audit;
}

/** The typed socket.io server for the browser. */
export type IoServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** Whether a handshake's Origin (absent for non-browser clients) may open a socket. */
function originOk(origin: string | undefined, host: string | undefined, allow: string[]) {
  if (origin === undefined || allow.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

const UNAUTHORIZED = { code: 'unauthorized', message: 'authentication required' } as const;

function namesFor(points: TrafficPoint[], name: (key: string) => string): Record<string, string> {
  const names: Record<string, string> = {};
  for (const p of points)
    for (const c of p.countries) if (!(c.key in names)) names[c.key] = name(c.key);
  return names;
}

/** Resolves once every socket's transport has written what it was given, or after `maxMs`. */
async function drained(server: IoServer, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  const busy = (): boolean =>
    [...server.sockets.sockets.values()].some((s) => !s.conn.transport.writable);
  while (busy() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  // the frames handed to the kernel still need a turn to leave
  await new Promise((r) => setTimeout(r, 50));
}

/**
 * socket.io on the HTTP server's port: a snapshot on every (re)connect, then one tick per
 * second carrying the newest seconds (volatile in effect: a socket still busy skips it and is
 * caught up later), and `source:status` when it changes.
 */
export function createPublisher(
  opts: PublisherOptions,
  deps: PublisherDeps,
): Component & { io(): IoServer } {
  let io: IoServer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let snapshotTimer: NodeJS.Timeout | undefined;
  let resyncTimer: NodeJS.Timeout | undefined;
  /** Sockets sent the window per resync slice (set when a resync starts). */
  let resyncPerSlice = RESYNC_MIN_SLICE;
  let lastStatus = '';
  let wasReady = false;
  let wasCaughtUp = false;
  let unsubscribe: (() => void) | undefined;

  /** The newest complete second: the one that just closed. */
  const newest = (): number => Math.floor(deps.now() / 1000) * 1000 - 1000;

  const snapshot = (): TrafficSnapshot => {
    const to = newest() + 1000;
    const points = deps.view.points(to - opts.windowMs, to);
    return {
      now: deps.now(),
      stepMs: 1000,
      points,
      source: deps.view.source(),
      alerts: deps.view.alerts(),
      names: namesFor(points, deps.view.name),
      top: deps.view.top(to - 1000),
    };
  };

  /** Sockets past their first snapshot (the ones broadcasts go to). */
  const served = (server: IoServer): number =>
    server.sockets.sockets.size - (server.sockets.adapter.rooms.get(PENDING)?.size ?? 0);

  const emitUpdate = (u: AlertUpdate): void => {
    if (!io) return;
    io.except(PENDING).emit('alert:update', u);
    deps.metrics.emits.labels('alert:update').inc(served(io));
  };

  /** One snapshot for every socket waiting for its first; they then join the ticks. */
  const sendSnapshots = (): void => {
    snapshotTimer = undefined;
    const ids = io?.sockets.adapter.rooms.get(PENDING);
    if (!io || !ids?.size) return;
    sendWindow(io, [...ids], PENDING);
  };
  /**
   * Sends sockets `ids` the whole window (built and encoded once) and moves them out of room
   * `from`: a new socket then joins the ticks.
   */
  const sendWindow = (server: IoServer, ids: string[], from: string): void => {
    server.to(ids).emit('traffic:snapshot', snapshot());
    const lastT = newest();
    for (const id of ids) {
      const s = server.sockets.sockets.get(id);
      if (!s) continue;
      s.data.lastT = lastT;
      void s.leave(from);
      if (from === PENDING) void s.join(CURRENT);
    }
    deps.metrics.snapshots.inc(ids.length);
    deps.metrics.emits.labels('traffic:snapshot').inc(ids.length);
  };
  /**
   * The window for the next slice of the sockets due a resync. The first slice goes with the
   * tick that found the source ready, right behind it, as the whole resync did before it was
   * sliced: a screen of a small wall gets the caught-up alerts in the same moment as that
   * tick (its takeover banner judges which critical alerts are new from the first list it
   * sees after a tick). In later slices a socket still busy waits for the next.
   */
  const sendResync = (first = false): void => {
    resyncTimer = undefined;
    const due = io?.sockets.adapter.rooms.get(RESYNC);
    if (!io || !due?.size) return;
    const ids: string[] = [];
    for (const id of due) {
      if (ids.length >= resyncPerSlice) break;
      if (first || io.sockets.sockets.get(id)?.conn.transport.writable) ids.push(id);
    }
    if (ids.length > 0) sendWindow(io, ids, RESYNC);
    if (due.size > 0) resyncTimer = setTimeout(sendResync, RESYNC_SLICE_MS);
  };
  /** Every socket past its first snapshot is due the whole window again: the first slice now. */
  const resyncAll = (server: IoServer): void => {
    for (const s of server.sockets.sockets.values()) if (!s.rooms.has(PENDING)) void s.join(RESYNC);
    const due = server.sockets.adapter.rooms.get(RESYNC)?.size ?? 0;
    resyncPerSlice = Math.max(RESYNC_MIN_SLICE, Math.ceil(due / RESYNC_SLICES));
    clearTimeout(resyncTimer);
    sendResync(true);
  };
  /**
   * While detection works through the history (start-up, after an outage) it replays many
   * seconds a second, and an alert's value changes with each: every browser would get dozens
   * of updates a second. Meanwhile the newest update of each alert is held and sent with the
   * next tick — but a change of state (pending → firing → resolved) is never merged away:
   * the held update goes out first, so every firing still reaches the on-call page.
   */
  const held = new Map<string, AlertUpdate>();
  const hold = (u: AlertUpdate): void => {
    const id = u.type === 'upsert' ? u.alert.id : u.id;
    const prev = held.get(id);
    if (prev) {
      held.delete(id);
      const sameState =
        prev.type === 'upsert' && u.type === 'upsert' && prev.alert.state === u.alert.state;
      if (!sameState) emitUpdate(prev);
    }
    held.set(id, u);
  };
  const flushHeld = (): void => {
    for (const u of held.values()) emitUpdate(u);
    held.clear();
  };

  const tick = (): void => {
    if (!io) return;
    const end = deps.metrics.tickSeconds.startTimer();
    const to = newest() + 1000;
    // A socket whose transport is still busy (a slow screen, a congested link) skips this
    // tick: it leaves the room of current sockets, and once it can take data again it is sent
    // every second it missed, so its chart keeps no hole. Decided before this second's alert
    // updates go out: writing them makes every transport busy for a moment, and a tick that
    // waited for that would be dropped on every screen whenever an alert changes — the
    // wallboard went stale during attacks.
    const behind: IoSocket<
      ClientToServerEvents,
      ServerToClientEvents,
      Record<string, never>,
      SocketData
    >[] = [];
    let busy = 0;
    for (const s of io.sockets.sockets.values()) {
      // a socket still waiting for its first snapshot gets it in a moment
      if (s.rooms.has(PENDING)) continue;
      if (!s.conn.transport.writable) {
        busy++;
        if (s.rooms.has(CURRENT)) void s.leave(CURRENT);
      } else if (!s.rooms.has(CURRENT)) behind.push(s);
    }
    try {
      // alert updates for the second go out (never volatile) before its tick
      deps.alerts?.evaluate(to - 1000);
    } catch (err) {
      deps.logger.error({ err }, 'alert evaluation failed');
    }
    flushHeld();
    const points = deps.view.points(to - opts.tickPoints * 1000, to);
    const newestT = to - 1000;
    const top = deps.view.top(newestT);
    const current = io.sockets.adapter.rooms.get(CURRENT)?.size ?? 0;
    deps.metrics.emits.labels('traffic:tick').inc(current + behind.length);
    if (busy) deps.metrics.volatileDropped.labels('traffic:tick').inc(busy);
    const tickOf = (pts: TrafficPoint[]): TrafficTick => ({
      now: deps.now(),
      points: pts,
      names: namesFor(pts, deps.view.name),
      top,
    });
    // not volatile: the room holds only sockets that were free when this tick began, and the
    // alert updates just written may still occupy them (a volatile emit would drop it)
    io.to(CURRENT).emit('traffic:tick', tickOf(points));
    for (const id of io.sockets.adapter.rooms.get(CURRENT) ?? []) {
      const s = io.sockets.sockets.get(id);
      if (s) s.data.lastT = newestT;
    }
    // sockets behind by the same seconds share one catch-up emit (screens that stalled
    // together, e.g. behind one congested link, are caught up by one encoding)
    const catchUps = new Map<number, string[]>();
    const resnap: string[] = [];
    for (const s of behind) {
      const last = s.data.lastT ?? newestT - 1000;
      if (last < to - CATCH_UP_MAX_MS) resnap.push(s.id);
      else {
        const from = Math.min(last + 1000, to - opts.tickPoints * 1000);
        const ids = catchUps.get(from);
        if (ids) ids.push(s.id);
        else catchUps.set(from, [s.id]);
      }
    }
    if (resnap.length > 0) {
      io.to(resnap).emit('traffic:snapshot', snapshot());
      deps.metrics.snapshots.inc(resnap.length);
    }
    for (const [from, ids] of catchUps) {
      io.to(ids).emit('traffic:tick', tickOf(deps.view.points(from, to)));
      deps.metrics.catchUps.inc(ids.length);
    }
    for (const s of behind) {
      s.data.lastT = newestT;
      void s.join(CURRENT);
    }
    // the whole window goes out again when the source becomes ready (history generated,
    // restored or caught up after an outage) and again once detection has worked through
    // it (every alert's final state, the baseline bands): no screen keeps a gap
    const ready = deps.view.ready();
    const caughtUp = ready && (deps.alerts?.caughtUp?.() ?? true);
    if ((ready && !wasReady) || (caughtUp && !wasCaughtUp)) resyncAll(io);
    wasReady = ready;
    wasCaughtUp = caughtUp;
    const status = deps.view.source();
    // lag and rates move every second; send the status each tick while it changes
    const key = JSON.stringify(status);
    if (key !== lastStatus) {
      lastStatus = key;
      io.except(PENDING).emit('source:status', status);
      deps.metrics.emits.labels('source:status').inc(served(io));
    }
    deps.metrics.ticks.inc();
    // sessions that expired or logged out since the handshake lose their socket (a map
    // lookup per socket per second)
    for (const s of io.sockets.sockets.values()) {
      if (!deps.auth.stillValid(s.data.sessionId)) s.disconnect(true);
    }
    end();
    schedule();
  };

  const schedule = (): void => {
    // just after each wall-clock second, when the second before it has closed
    timer = setTimeout(tick, 1000 - (deps.now() % 1000) + 50);
  };

  return {
    name: 'publisher',
    io() {
      if (!io) throw new Error('publisher not started');
      return io;
    },
    async start() {
      io = new Server(deps.httpServer(), {
        serveClient: false,
        transports: ['websocket', 'polling'],
        maxHttpBufferSize: opts.maxHttpBufferSize,
        pingInterval: 10_000,
        pingTimeout: 10_000,
        // a WebSocket is not subject to CORS: the page's origin is checked here instead
        allowRequest: (req, callback) =>
          callback(null, originOk(req.headers.origin, req.headers.host, opts.corsOrigins)),
        ...(opts.corsOrigins.length > 0
          ? { cors: { origin: opts.corsOrigins, credentials: true } }
          : {}),
      });
      io.use((socket, next) => {
        const req = socket.request;
        const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
        const res = deps.auth.authenticate({
          cookie: req.headers.cookie,
          authorization: req.headers.authorization,
          token,
          remoteAddress: req.socket.remoteAddress,
          headers: req.headers,
        });
        if (!res.ok) {
          if (res.reason !== 'missing') {
            deps.audit('denied', {
              outcome: 'failed',
              ip: req.socket.remoteAddress,
              target: 'socket',
              reason: res.reason,
            });
          }
          // the client sees err.message 'unauthorized' and err.data {code, message}
          const err = new Error('unauthorized') as Error & { data?: unknown };
          err.data =
            res.reason === 'expired'
              ? { code: 'unauthorized', message: 'session expired: log in again' }
              : UNAUTHORIZED;
          return next(err);
        }
        socket.data = { principal: res.principal, sessionId: res.sessionId };
        next();
      });
      io.on('connection', (socket) => {
        const { role, name } = socket.data.principal;
        // one id per connection in every line about it: socket.io's own id, also the client's
        const log = deps.logger.child({ component: 'publisher', conn: socket.id });
        log.info({ user: name, role, ip: socket.request.socket.remoteAddress }, 'socket connected');
        deps.metrics.sockets.labels(role).inc();
        deps.metrics.connections.labels(role).inc();
        void socket.join(PENDING);
        snapshotTimer ??= setTimeout(sendSnapshots, SNAPSHOT_COALESCE_MS);
        const unavailable = {
          ok: false,
          error: { code: 'unavailable', message: 'alerting is not enabled' },
        } as const;
        const limiter = createEventLimiter(opts.eventsPerSec, deps.now);
        // every incoming packet: the rate limit first, then whether the session still holds
        socket.use((packet, next) => {
          const ack = packet.at(-1);
          const refuse = (code: 'rate_limited' | 'unauthorized', message: string) => {
            if (typeof ack === 'function') ack({ ok: false, error: { code, message } });
          };
          if (!limiter.take()) return refuse('rate_limited', 'too many events: slow down');
          if (!deps.auth.stillValid(socket.data.sessionId)) {
            refuse('unauthorized', 'session expired: log in again');
            socket.disconnect(true);
            return;
          }
          next();
        });
        const act = <T>(
          event: 'alert:ack' | 'silence:create',
          req: unknown,
          run: (by: string) => AckResult<T>,
        ): AckResult<T> => {
          const p = socket.data.principal;
          const who = { user: p.name, role: p.role, ip: socket.request.socket.remoteAddress };
          if (!allows(p.role, 'responder')) {
            deps.audit('denied', {
              ...who,
              outcome: 'failed',
              target: event,
              reason: 'needs responder',
            });
            return {
              ok: false,
              error: { code: 'forbidden', message: 'this needs the responder role' },
            };
          }
          const res = run(p.name);
          const id = (req as { id?: unknown } | null)?.id;
          deps.audit(event === 'alert:ack' ? 'ack' : 'silence_create', {
            ...who,
            outcome: res.ok ? 'ok' : 'failed',
            target: typeof id === 'string' ? id.slice(0, 512) : event,
            ...(res.ok ? {} : { reason: res.error.code }),
          });
          return res;
        };
        socket.on('alert:ack', (req, ack) => {
          const res = act('alert:ack', req, (by) =>
            deps.alerts ? deps.alerts.ack(req, by) : unavailable,
          );
          if (typeof ack === 'function') ack(res);
        });
        socket.on('silence:create', (req, ack) => {
          const res = act('silence:create', req, (by) =>
            deps.alerts ? deps.alerts.silence(req, by) : unavailable,
          );
          if (typeof ack === 'function') ack(res);
        });
        socket.on('disconnect', (reason) => {
          deps.metrics.sockets.labels(role).dec();
          log.info({ reason }, 'socket disconnected');
        });
      });
      unsubscribe = deps.alerts?.onUpdate((u) => {
        if (!io) return;
        if (deps.alerts?.caughtUp?.() === false) hold(u);
        else {
          flushHeld();
          emitUpdate(u);
        }
      });
      schedule();
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (snapshotTimer) clearTimeout(snapshotTimer);
      snapshotTimer = undefined;
      clearTimeout(resyncTimer);
      resyncTimer = undefined;
      const server = io;
      io = undefined;
      if (server) {
        // the reason first (screens say why the data stops), then the sockets go
        const status = deps.view.source();
        const n = server.sockets.sockets.size;
        server.emit('source:status', {
          ...status,
          connected: false,
          message: 'server shutting down: reconnecting',
        });
        deps.metrics.emits.labels('source:status').inc(n);
        deps.logger.info({ component: 'publisher', sockets: n }, 'closing browser sockets');
        // a disconnect packet each ("io server disconnect": the client knows the server left),
        // given a moment to reach the wire before the transports close
        server.disconnectSockets(false);
        await drained(server, 500);
        server.disconnectSockets(true);
        // close the engine only: the HTTP server belongs to the http component
        server.engine.close();
      }
    },
  };
}
