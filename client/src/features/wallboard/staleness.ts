import type { SourceStatus } from '@surgewatch/shared';
import type { ConnectionState } from '../../socket/connectionState.js';
import { formatDuration } from '../../format/format.js';

/** Why the screen's data cannot be trusted as current. */
export type StaleReason = 'source-down' | 'no-updates' | 'no-data';

export interface Staleness {
  stale: boolean;
  reason: StaleReason | null;
  /** Time since the last update reached the page, ms; null before the first. */
  ageMs: number | null;
}

export interface StalenessInput {
  /** Client clock, ms epoch. */
  now: number;
  /** Client clock when the last snapshot/tick arrived; null before the first. */
  lastTickAt: number | null;
  /** Client clock when the page started listening. */
  startedAt: number;
  source: SourceStatus | null;
  connection: ConnectionState;
  /** Ticks come every second: this much silence means something is wrong. */
  thresholdMs?: number;
}

/**
 * Whether a wall screen must say its data is stale, and why. All times on the client clock,
 * so a skewed server clock cannot hide a stall. A disconnected source wins: ticks may still
 * arrive, but they carry no new traffic.
 */
export function staleness(input: StalenessInput): Staleness {
  const { now, lastTickAt, startedAt, source, connection, thresholdMs = 5_000 } = input;
  const ageMs = lastTickAt === null ? null : Math.max(0, now - lastTickAt);
  if (source !== null && !source.connected && connection.kind === 'live') {
    return { stale: true, reason: 'source-down', ageMs };
  }
  if (ageMs === null) {
    return now - startedAt > thresholdMs
      ? { stale: true, reason: 'no-data', ageMs }
      : { stale: false, reason: null, ageMs };
  }
  if (ageMs > thresholdMs) return { stale: true, reason: 'no-updates', ageMs };
  return { stale: false, reason: null, ageMs };
}

/**
 * The banner's words. The title always says DATA STALE so the room learns one phrase; the
 * detail says why and since when.
 */
export function describeStaleness(
  s: Staleness,
  connection: ConnectionState,
  source: SourceStatus | null,
): string {
  const link =
    connection.kind === 'live'
      ? 'server connected'
      : connection.kind === 'offline'
        ? 'this screen has no network'
        : connection.attempt > 0
          ? `reconnecting to the server (attempt ${connection.attempt})`
          : 'connecting to the server';
  switch (s.reason) {
    case 'source-down':
      return `Flow source disconnected${source?.message ? `: ${source.message}` : ''} — no new traffic is being counted`;
    case 'no-updates':
      return `No update for ${formatDuration(s.ageMs ?? 0)} — ${link}`;
    case 'no-data':
      return `No data received yet — ${link}`;
    case null:
      return '';
  }
}
