import type { Alert, Silence } from '@surgewatch/shared';

/**
 * Where alerts and silences live. Every write is a state change, an acknowledgement or a
 * silence: a durable store (Kafka `surgewatch.alerts`, keyed by id) produces each write and
 * replays them at start-up; the in-memory store is the demo's.
 */
export interface AlertStore {
  get(id: string): Alert | undefined;
  /** Every kept alert, newest start first. */
  list(): Alert[];
  put(alert: Alert): void;
  remove(id: string): void;
  silences(): Silence[];
  putSilence(silence: Silence): void;
  removeSilence(id: string): boolean;
}

/** Alerts and silences in process memory: gone on restart. */
export function createMemoryStore(): AlertStore {
  const alerts = new Map<string, Alert>();
  const silences = new Map<string, Silence>();
  return {
    get: (id) => alerts.get(id),
    list: () => [...alerts.values()].sort((a, b) => b.startedAt - a.startedAt),
    put: (alert) => void alerts.set(alert.id, alert),
    remove: (id) => void alerts.delete(id),
    silences: () => [...silences.values()],
    putSilence: (s) => void silences.set(s.id, s),
    removeSilence: (id) => silences.delete(id),
  };
}
