import type { SourceStatus } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { createLiveStore } from '../store/createLiveStore.js';
import { connectLive } from './connectLive.js';
import type { LiveSocket } from './createSocket.js';

type Handler = (...args: never[]) => void;

/** Just enough of a socket.io client socket to record who listens. */
class FakeEmitter {
  readonly handlers = new Map<string, Set<Handler>>();
  on(event: string, h: Handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(h);
    return this;
  }
  off(event: string, h: Handler) {
    this.handlers.get(event)?.delete(h);
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    for (const h of this.handlers.get(event) ?? []) (h as (...a: unknown[]) => void)(...args);
  }
  count() {
    return [...this.handlers.values()].reduce((n, s) => n + s.size, 0);
  }
}

class FakeSocket extends FakeEmitter {
  readonly io = new FakeEmitter();
  connects = 0;
  disconnects = 0;
  connect() {
    this.connects++;
    return this;
  }
  disconnect() {
    this.disconnects++;
    return this;
  }
}

const status: SourceStatus = {
  kind: 'kafka',
  connected: false,
  lag: 12,
  recordsPerSec: 0,
  decodeErrors: 3,
  lastRecordTs: null,
};

describe('connectLive', () => {
  it('connects, feeds the store, and removes exactly its own handlers on stop', () => {
    const socket = new FakeSocket();
    const foreign = () => {};
    socket.on('traffic:tick', foreign);
    const store = createLiveStore({ schedule: (f) => f() });
    const stop = connectLive(socket as unknown as LiveSocket, store);
    expect(socket.connects).toBe(1);

    socket.emit('connect');
    expect(store.getState().connection.kind).toBe('live');
    socket.emit('source:status', status);
    expect(store.getState().source).toBe(status);
    socket.emit('traffic:tick', {
      now: 2000,
      points: [{ t: 1000, total: { bps: 1, pps: 1, fps: 1 }, sources: 1, countries: [] }],
      names: {},
    });
    expect(store.getState().points.length).toBe(1);
    socket.emit('disconnect', 'transport close');
    socket.io.emit('reconnect_attempt', 2);
    expect(store.getState().connection).toMatchObject({ kind: 'reconnecting', attempt: 2 });

    stop();
    expect(socket.disconnects).toBe(1);
    expect(socket.io.count()).toBe(0);
    expect(socket.count()).toBe(1);
    expect(socket.handlers.get('traffic:tick')?.has(foreign)).toBe(true);
  });

  it('follows the browser going offline and back', () => {
    const socket = new FakeSocket();
    const network = new EventTarget();
    const store = createLiveStore({ schedule: (f) => f() });
    const stop = connectLive(socket as unknown as LiveSocket, store, network as unknown as Window);
    network.dispatchEvent(new Event('offline'));
    expect(store.getState().connection.kind).toBe('offline');
    network.dispatchEvent(new Event('online'));
    expect(store.getState().connection.kind).toBe('reconnecting');
    stop();
    network.dispatchEvent(new Event('offline'));
    expect(store.getState().connection.kind).toBe('reconnecting');
  });
});
