import { describe, expect, it, vi } from 'vitest';
import { createLiveStore } from './createLiveStore.js';
import { HISTORY_STEP_MS, startHistoryLoader } from './loadHistory.js';
import { emptyTop, seconds } from './testPoints.js';

const T0 = 10 * 60 * 60_000;

function snapshotStore() {
  const store = createLiveStore({ schedule: (f) => f() });
  return {
    store,
    snapshot: () =>
      store.applySnapshot({
        now: T0 + 60_000,
        stepMs: 1000,
        points: seconds(T0, 60, () => ({ RU: 8 })),
        source: {
          kind: 'demo',
          connected: true,
          lag: null,
          recordsPerSec: 1,
          decodeErrors: 0,
          lastRecordTs: null,
        },
        alerts: [],
        names: {},
        top: emptyTop(),
      }),
  };
}

describe('startHistoryLoader', () => {
  it('waits for the snapshot, then fetches the older hour once and stores it', async () => {
    const { store, snapshot } = snapshotStore();
    const get = vi.fn(async (_url: string) => ({
      by: 'country',
      metric: 'bps',
      from: T0 - HISTORY_STEP_MS,
      to: T0,
      stepMs: HISTORY_STEP_MS,
      times: [T0 - HISTORY_STEP_MS],
      groups: [{ key: 'BR', name: 'Brazil', series: [5] }],
    }));
    startHistoryLoader(store, get);
    expect(get).not.toHaveBeenCalled();
    snapshot();
    await vi.waitFor(() => expect(store.getState().history).toHaveLength(1));
    expect(get).toHaveBeenCalledTimes(1);
    const url = new URL(get.mock.calls[0]![0], 'http://x');
    expect(url.pathname).toBe('/api/traffic');
    expect(url.searchParams.get('by')).toBe('country');
    expect(url.searchParams.get('step')).toBe(String(HISTORY_STEP_MS));
    expect(Number(url.searchParams.get('to'))).toBe(T0);
    expect(store.getState().names.BR).toBe('Brazil');
    snapshot();
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('retries later when the request fails', async () => {
    const { store, snapshot } = snapshotStore();
    const get = vi.fn(async (_url: string) => {
      throw new Error('503');
    });
    const set = vi.fn(() => 0 as unknown as ReturnType<typeof setTimeout>);
    startHistoryLoader(store, get, { set, clear: () => {} });
    snapshot();
    await vi.waitFor(() => expect(set).toHaveBeenCalledTimes(1));
    expect(store.getState().history).toEqual([]);
  });
});
