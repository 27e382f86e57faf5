import type { LiveStore } from './createLiveStore.js';
import type { TrafficRangeBody } from './history.js';
import { historyRange, rangeToPoints } from './history.js';

/** The chart's longest window, and the step of the history fetched for it (its row width). */
export const HISTORY_WINDOW_MS = 60 * 60_000;
export const HISTORY_STEP_MS = 6_000;
const RETRY_MS = 30_000;

export type FetchJson = (url: string) => Promise<unknown>;

export const fetchJson: FetchJson = async (url) => {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
};

/**
 * Once the first snapshot is in, fetches the country history the live buffer lacks for the
 * 60-minute window (`GET /api/traffic?by=country`) and hands it to the store; retries every
 * 30 s on failure. Returns a stop function. A snapshot already covering the hour needs nothing.
 */
export function startHistoryLoader(
  store: LiveStore,
  get: FetchJson = fetchJson,
  timers = { set: (f: () => void, ms: number) => setTimeout(f, ms), clear: clearTimeout },
): () => void {
  let stopped = false;
  let busy = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let unsubscribe: () => void = () => {};

  const finish = () => {
    stopped = true;
    unsubscribe();
  };

  const attempt = () => {
    if (stopped || busy) return;
    const { points } = store.getState();
    if (points.length === 0) return; // wait for the snapshot
    const range = historyRange(points, HISTORY_WINDOW_MS, HISTORY_STEP_MS);
    if (!range) return finish();
    busy = true;
    const q = new URLSearchParams({
      by: 'country',
      metric: 'bps',
      from: String(range.from),
      to: String(range.to),
      step: String(HISTORY_STEP_MS),
      top: '20',
    });
    get(`/api/traffic?${q.toString()}`)
      .then((body) => {
        if (stopped) return;
        const { points: history, names } = rangeToPoints(body as TrafficRangeBody);
        store.setHistory(history, names);
        finish();
      })
      .catch(() => {
        busy = false;
        if (!stopped) retry = timers.set(attempt, RETRY_MS);
      });
  };

  unsubscribe = store.subscribe(attempt);
  attempt();
  return () => {
    if (retry !== null) timers.clear(retry);
    finish();
  };
}
