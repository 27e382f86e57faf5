import type { Dimension } from '@surgewatch/shared';
import { useCallback, useDeferredValue, useMemo, useSyncExternalStore } from 'react';
import { withHistory } from '../../store/history.js';
import { HISTORY_STEP_MS } from '../../store/loadHistory.js';
import { useLive, useLiveStore } from '../../store/useLive.js';
import { getNow, subscribeNow, useNow } from '../../store/useNow.js';
import { countryTable } from './countryTable.js';
import type { MixPart } from './mixModel.js';
import { mixParts } from './mixModel.js';
import type { ChartModel } from './seriesModel.js';
import { createChartModel } from './seriesModel.js';
import type { Staleness } from './staleness.js';
import { staleness } from './staleness.js';
import type { TopRow } from './topRows.js';
import { topRows } from './topRows.js';
import { completePoints, headline } from './totals.js';

/** Countries drawn as their own band; the rest is "other". Matches the palette size. */
export const CHART_TOP_N = 8;

/**
 * The chart rows and colours for the chosen window; recomputed only when a tick lands, and
 * then in a render of its own: the store's updates are synchronous (numbers and tables show
 * the tick in one go), the chart follows as a deferred render that React splits into short
 * slices, so a tick is never one long task.
 */
export function useChartModel(windowMs: number): ChartModel {
  const live = useDeferredValue(useLive((s) => s.points));
  const history = useDeferredValue(useLive((s) => s.history));
  const stepMs = useLive((s) => s.stepMs);
  // Older than the live buffer: the REST history (60-minute window after a fresh load).
  const points = useMemo(() => withHistory(history, live, HISTORY_STEP_MS), [history, live]);
  const model = useMemo(() => createChartModel(CHART_TOP_N), []);
  return useMemo(() => model(points, windowMs, stepMs), [model, points, windowMs, stepMs]);
}

/** The points whose second is over at the server's last word. */
function useCompletePoints() {
  const points = useLive((s) => s.points);
  const serverNow = useLive((s) => s.serverNow);
  const stepMs = useLive((s) => s.stepMs);
  return {
    points: useMemo(() => completePoints(points, serverNow, stepMs), [points, serverNow, stepMs]),
    stepMs,
  };
}

export function useHeadline() {
  const { points, stepMs } = useCompletePoints();
  return useMemo(() => headline(points, stepMs), [points, stepMs]);
}

export function useCountryTable(rows: number) {
  const { points, stepMs } = useCompletePoints();
  return useMemo(() => countryTable(points, stepMs, { rows }), [points, stepMs, rows]);
}

/** Whether the screen must warn that its data is stale; re-evaluated every second. */
export function useStaleness(): Staleness {
  const now = useNow();
  const lastTickAt = useLive((s) => s.lastTickAt);
  const startedAt = useLive((s) => s.startedAt);
  const source = useLive((s) => s.source);
  const connection = useLive((s) => s.connection);
  return useMemo(
    () => staleness({ now, lastTickAt, startedAt, source, connection }),
    [now, lastTickAt, startedAt, source, connection],
  );
}

/**
 * Only whether the data is stale: subscribes to the store and the clock but re-renders the
 * caller only when the answer flips, so a page-level component does not redraw every second.
 */
export function useIsStale(): boolean {
  const store = useLiveStore();
  const subscribe = useCallback(
    (listener: () => void) => {
      const offStore = store.subscribe(listener);
      const offClock = subscribeNow(listener);
      return () => {
        offStore();
        offClock();
      };
    },
    [store],
  );
  return useSyncExternalStore(subscribe, () => {
    const s = store.getState();
    return staleness({
      now: getNow(),
      lastTickAt: s.lastTickAt,
      startedAt: s.startedAt,
      source: s.source,
      connection: s.connection,
    }).stale;
  });
}

/** Rows of one dimension's top table, from the newest second's `top`. */
export function useTopRows(dimension: Dimension, rows: number): TopRow[] {
  const top = useLive((s) => s.top);
  const points = useLive((s) => s.points);
  const totalBps = points[points.length - 1]?.total.bps ?? 0;
  return useMemo(() => topRows(top?.[dimension], totalBps, rows), [top, dimension, totalBps, rows]);
}

/** The protocol and vector split of the newest second. */
export function useMix(vectorParts: number): { protocols: MixPart[]; vectors: MixPart[] } {
  const top = useLive((s) => s.top);
  return useMemo(
    () => ({ protocols: mixParts(top?.protocol, 4), vectors: mixParts(top?.vector, vectorParts) }),
    [top, vectorParts],
  );
}
