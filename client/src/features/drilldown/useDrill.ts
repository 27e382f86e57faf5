import { useEffect, useState } from 'react';
import { fetchJson } from '../../store/loadHistory.js';
import { useLiveStore } from '../../store/useLive.js';
import { loadDrill, type DrillData } from './loadDrill.js';

/** How often an open drill-down refreshes, ms. */
export const DRILL_REFRESH_MS = 5_000;

export interface DrillState {
  data: DrillData | null;
  /** Why the last refresh failed; null when it worked. */
  error: string | null;
  loading: boolean;
}

/**
 * One country's drill-down over the window, refreshed every 5 s while open. The window ends at
 * the server's clock (from the last tick), so the page's own clock does not matter.
 */
export function useDrill(country: string, windowMs: number): DrillState {
  const store = useLiveStore();
  const [state, setState] = useState<DrillState>({ data: null, error: null, loading: true });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState({ data: null, error: null, loading: true });
    const refresh = () => {
      const s = store.getState();
      const end = s.serverNow ?? Date.now() + s.clockOffsetMs;
      loadDrill(country, windowMs, end, fetchJson)
        .then((data) => !stopped && setState({ data, error: null, loading: false }))
        .catch(
          (err: unknown) =>
            !stopped &&
            setState((prev) => ({
              data: prev.data,
              error: (err as Error).message,
              loading: false,
            })),
        )
        .finally(() => {
          if (!stopped) timer = setTimeout(refresh, DRILL_REFRESH_MS);
        });
    };
    refresh();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [store, country, windowMs]);
  return state;
}
