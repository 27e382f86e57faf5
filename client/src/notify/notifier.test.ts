import type { TrafficSnapshot } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { createLiveStore } from '../store/createLiveStore.js';
import type { NotificationContent } from './notificationContent.js';
import { alertsCurrent, createNotifier } from './notifier.js';
import { RECORD_KEY } from './notifyPolicy.js';
import { DEFAULT_PREFS } from './prefs.js';
import { testAlert } from './testAlert.js';

const snapshot = (alerts = [testAlert()]): TrafficSnapshot => ({
  now: 5_000,
  stepMs: 1000,
  points: [],
  source: null as unknown as TrafficSnapshot['source'],
  alerts,
  names: {},
  top: null as unknown as TrafficSnapshot['top'],
});

/** A browser: one storage and one lock shared by its tabs. */
function browser() {
  const items = new Map<string, string>();
  const storage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  };
  let queue = Promise.resolve();
  const exclusive = (fn: () => Promise<void>) => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const shown: NotificationContent[] = [];
  const tab = (clock: { t: number }) => {
    const store = createLiveStore({ now: () => clock.t, schedule: (f) => f() });
    const notifier = createNotifier({
      store,
      storage,
      exclusive,
      canShow: () => true,
      show: async (c) => void shown.push(c),
      prefs: () => DEFAULT_PREFS,
      beep: () => undefined,
      now: () => clock.t,
    });
    return { store, notifier };
  };
  return { storage, shown, tab };
}

describe('notifier', () => {
  it('waits for a snapshot on a live connection before notifying', async () => {
    const b = browser();
    const clock = { t: 1_000 };
    const { store, notifier } = b.tab(clock);
    expect(alertsCurrent(store.getState())).toBe(false);
    store.connectionEvent({ type: 'connect' });
    await notifier.check();
    expect(b.shown).toHaveLength(0);
    clock.t = 2_000;
    store.applySnapshot(snapshot());
    expect(alertsCurrent(store.getState())).toBe(true);
    await notifier.check();
    expect(b.shown.map((c) => c.options.tag)).toEqual([testAlert().id]);
  });

  it('notifies once across two tabs and a reconnect', async () => {
    const b = browser();
    const clock = { t: 1_000 };
    const tabs = [b.tab(clock), b.tab(clock)];
    for (const { store, notifier } of tabs) {
      notifier.start();
      store.connectionEvent({ type: 'connect' });
      clock.t += 10;
      store.applySnapshot(snapshot());
    }
    await Promise.all(tabs.map((t) => t.notifier.check()));
    // a drop and a resync: the same alert comes back in the snapshot
    const { store, notifier } = tabs[0]!;
    store.connectionEvent({ type: 'disconnect', reason: 'transport close' });
    clock.t += 5_000;
    store.connectionEvent({ type: 'connect' });
    clock.t += 10;
    store.applySnapshot(snapshot([testAlert(), testAlert({ id: 'fired-meanwhile' })]));
    await notifier.check();
    expect(b.shown.map((c) => c.options.tag)).toEqual([testAlert().id, 'fired-meanwhile']);
    expect(Object.keys(JSON.parse(b.storage.getItem(RECORD_KEY)!) as object)).toHaveLength(2);
    for (const t of tabs) t.notifier.stop();
  });
});
