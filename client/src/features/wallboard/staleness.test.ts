import type { SourceStatus } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../socket/connectionState.js';
import { describeStaleness, staleness } from './staleness.js';

const live: ConnectionState = { kind: 'live', since: 0, attempt: 0, detail: null };
const down: ConnectionState = {
  kind: 'reconnecting',
  since: 0,
  attempt: 2,
  detail: 'transport close',
};
const initial: ConnectionState = { kind: 'connecting', since: 0, attempt: 0, detail: null };
const source: SourceStatus = {
  kind: 'kafka',
  connected: true,
  lag: 0,
  recordsPerSec: 1,
  decodeErrors: 0,
  lastRecordTs: 0,
};

describe('staleness', () => {
  it('is fresh while ticks keep coming within 5 s', () => {
    expect(
      staleness({ now: 10_000, lastTickAt: 6_000, startedAt: 0, source, connection: live }),
    ).toEqual({
      stale: false,
      reason: null,
      ageMs: 4000,
    });
  });

  it('is stale after 5 s without an update, whatever the socket thinks', () => {
    expect(
      staleness({ now: 10_000, lastTickAt: 4_000, startedAt: 0, source, connection: live }),
    ).toMatchObject({
      stale: true,
      reason: 'no-updates',
      ageMs: 6000,
    });
    expect(
      staleness({ now: 10_000, lastTickAt: 4_000, startedAt: 0, source, connection: down }).reason,
    ).toBe('no-updates');
  });

  it('is stale at once when the live server says the source is disconnected', () => {
    const off = { ...source, connected: false };
    expect(
      staleness({ now: 10_000, lastTickAt: 9_900, startedAt: 0, source: off, connection: live })
        .reason,
    ).toBe('source-down');
  });

  it('gives a new page 5 s before complaining that no data came', () => {
    expect(
      staleness({ now: 3_000, lastTickAt: null, startedAt: 0, source: null, connection: live })
        .stale,
    ).toBe(false);
    expect(
      staleness({ now: 6_000, lastTickAt: null, startedAt: 0, source: null, connection: live }),
    ).toMatchObject({
      stale: true,
      reason: 'no-data',
      ageMs: null,
    });
  });

  it('never reports a negative age', () => {
    expect(
      staleness({ now: 1_000, lastTickAt: 2_000, startedAt: 0, source, connection: live }).ageMs,
    ).toBe(0);
  });
});

describe('describeStaleness', () => {
  it('says why and for how long', () => {
    const s = staleness({ now: 72_000, lastTickAt: 0, startedAt: 0, source, connection: down });
    expect(describeStaleness(s, down, source)).toBe(
      'No update for 1 min 12 s — reconnecting to the server (attempt 2)',
    );
    const off = { ...source, connected: false, message: 'broker unreachable' };
    const s2 = staleness({
      now: 1000,
      lastTickAt: 900,
      startedAt: 0,
      source: off,
      connection: live,
    });
    expect(describeStaleness(s2, live, off)).toBe(
      'Flow source disconnected: broker unreachable — no new traffic is being counted',
    );
    const s3 = staleness({
      now: 9000,
      lastTickAt: null,
      startedAt: 0,
      source: null,
      connection: initial,
    });
    expect(describeStaleness(s3, initial, null)).toBe(
      'No data received yet — connecting to the server',
    );
  });
});
