import type { LiveState, LiveStore } from '../store/createLiveStore.js';
import type { NotificationContent } from './notificationContent.js';
import { notificationContent } from './notificationContent.js';
import type { NotifyRecord } from './notifyPolicy.js';
import { RECORD_KEY, markNotified, parseRecord, planNotifications } from './notifyPolicy.js';
import type { NotifyPrefs } from './prefs.js';

export interface NotifierDeps {
  store: LiveStore;
  /** Shared by every tab of the browser: the notified record lives here. */
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Runs `fn` while no other tab of the browser runs its own (Web Locks in the page). */
  exclusive: (fn: () => Promise<void>) => Promise<void>;
  /** Whether system notifications may be shown now (permission granted, worker ready). */
  canShow: () => boolean;
  /** Shows one system notification through the service worker. */
  show: (content: NotificationContent) => Promise<void>;
  prefs: () => NotifyPrefs;
  /** The optional tone; called once per batch of notifications. */
  beep: () => void;
  now: () => number;
  /** How often reminders are checked, ms. */
  reminderCheckMs?: number;
  onError?: (err: unknown) => void;
}

export interface Notifier {
  start(): void;
  stop(): void;
  /** Notifies whatever is due now; resolves when done (tests and the reminder timer). */
  check(): Promise<void>;
}

/**
 * Is the alert list the server's current truth? Only once live again and a snapshot (the
 * first message on every connection) or tick has arrived since: alerts held from before a
 * drop may have been acknowledged meanwhile.
 */
export function alertsCurrent(state: LiveState): boolean {
  return (
    state.connection.kind === 'live' &&
    state.lastTickAt !== null &&
    state.lastTickAt >= state.connection.since
  );
}

/**
 * Turns alert changes into system notifications, once per wave of an incident per browser
 * (not per alert, not per update): each tab decides under one browser-wide lock, against one
 * record in localStorage, so neither a reconnect, a reload, a server restart (alert ids and
 * their history come back the same) nor a second tab notifies the same wave twice.
 */
export function createNotifier(deps: NotifierDeps): Notifier {
  let unsubscribe: (() => void) | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let lastAlerts: LiveState['alerts'] | null = null;
  let wasCurrent = false;

  async function run(): Promise<void> {
    const state = deps.store.getState();
    if (!alertsCurrent(state)) return;
    await deps.exclusive(async () => {
      const record: NotifyRecord = parseRecord(deps.storage.getItem(RECORD_KEY));
      const now = deps.now();
      const { due, joined } = planNotifications(state.alerts.values(), record, deps.prefs(), now);
      if (due.length === 0 && joined.length === 0) return;
      // claimed before showing: a failing show must not make every tab retry forever
      deps.storage.setItem(RECORD_KEY, JSON.stringify(markNotified(record, due, now, joined)));
      if (due.length === 0) return;
      if (deps.prefs().sound) deps.beep();
      if (!deps.canShow()) return;
      for (const d of due) {
        await deps.show(notificationContent(d.alert, state.names, d.reminder, d.others));
      }
    });
  }

  function check(): Promise<void> {
    // one run at a time; changes during a run get one more run after it
    if (running) {
      again = true;
      return running;
    }
    running = run()
      .catch((err: unknown) => deps.onError?.(err))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void check();
        }
      });
    return running;
  }

  return {
    start() {
      if (unsubscribe) return;
      unsubscribe = deps.store.subscribe(() => {
        // every tick changes the state; only new alerts or a resynced list matter here
        const s = deps.store.getState();
        const current = alertsCurrent(s);
        if (s.alerts === lastAlerts && current === wasCurrent) return;
        lastAlerts = s.alerts;
        wasCurrent = current;
        if (current) void check();
      });
      timer = setInterval(() => void check(), deps.reminderCheckMs ?? 15_000);
      void check();
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
    check,
  };
}
