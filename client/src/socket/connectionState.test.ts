import { describe, expect, it } from 'vitest';
import type { ConnectionEvent, ConnectionState } from './connectionState.js';
import { initialConnection, nextConnection } from './connectionState.js';

function run(events: ConnectionEvent[], start = initialConnection(0)): ConnectionState {
  return events.reduce((s, e, i) => nextConnection(s, e, (i + 1) * 1000), start);
}

describe('nextConnection', () => {
  it('starts connecting and goes live on connect', () => {
    expect(initialConnection(5).kind).toBe('connecting');
    const s = run([{ type: 'connect' }]);
    expect(s).toEqual({ kind: 'live', since: 1000, attempt: 0, detail: null });
  });

  it('stays "connecting" while the first attempts fail, counting them', () => {
    const s = run([
      { type: 'connect_error', message: 'websocket error' },
      { type: 'reconnect_attempt', attempt: 1 },
      { type: 'connect_error', message: 'timeout' },
      { type: 'reconnect_attempt', attempt: 2 },
    ]);
    expect(s).toMatchObject({ kind: 'connecting', attempt: 2, detail: 'timeout', since: 0 });
  });

  it('goes reconnecting on a drop and live again on connect', () => {
    const events: ConnectionEvent[] = [
      { type: 'connect' },
      { type: 'disconnect', reason: 'transport close' },
      { type: 'reconnect_attempt', attempt: 1 },
      { type: 'reconnect_attempt', attempt: 2 },
    ];
    expect(run(events)).toMatchObject({
      kind: 'reconnecting',
      attempt: 2,
      detail: 'transport close',
      since: 2000,
    });
    expect(run([...events, { type: 'connect' }])).toMatchObject({
      kind: 'live',
      attempt: 0,
      detail: null,
    });
  });

  it('is offline while the browser has no network, whatever the socket says', () => {
    const s = run([
      { type: 'connect' },
      { type: 'browser_offline' },
      { type: 'disconnect', reason: 'ping timeout' },
      { type: 'reconnect_attempt', attempt: 1 },
      { type: 'connect_error', message: 'xhr poll error' },
    ]);
    expect(s.kind).toBe('offline');
    expect(run([{ type: 'browser_online' }], s).kind).toBe('reconnecting');
  });

  it('returns the same object when nothing changed', () => {
    const live = run([{ type: 'connect' }]);
    expect(nextConnection(live, { type: 'connect' }, 9999)).toBe(live);
    expect(nextConnection(live, { type: 'reconnect_attempt', attempt: 3 }, 9999)).toBe(live);
    expect(nextConnection(live, { type: 'browser_online' }, 9999)).toBe(live);
  });
});
