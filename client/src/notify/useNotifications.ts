import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LiveStore } from '../store/createLiveStore.js';
import { exclusive } from './exclusive.js';
import { createNotifier } from './notifier.js';
import type { NotifyPrefs } from './prefs.js';
import { registerWorker } from './serviceWorker.js';
import { createTone } from './tone.js';

/** Where notifications stand in this browser, as the settings panel shows it. */
export type PermissionState = 'unsupported' | 'default' | 'granted' | 'denied';
export type WorkerState = 'registering' | 'ready' | 'failed' | 'unsupported';

function currentPermission(): PermissionState {
  // service workers (and so our notifications) exist only on https or localhost
  if (typeof Notification === 'undefined' || !window.isSecureContext) return 'unsupported';
  return Notification.permission;
}

export interface Notifications {
  permission: PermissionState;
  worker: WorkerState;
  workerError: string | null;
  /** Asks for permission; call it from a click (browsers ignore it otherwise). */
  request(): Promise<void>;
  /** Shows a sample notification, so a person can check the whole path works. */
  test(): Promise<void>;
  /** Allows the tone; call it from the click that turns sound on. */
  unlockSound(): void;
}

/**
 * The on-call page's notifications: registers the service worker, tracks the permission,
 * and runs the notifier (one per page) once the worker is ready or known to be missing.
 */
export function useNotifications(store: LiveStore, prefs: NotifyPrefs): Notifications {
  const [permission, setPermission] = useState<PermissionState>(currentPermission);
  const [registration, setRegistration] = useState<ServiceWorkerRegistration | null>(null);
  const [worker, setWorker] = useState<WorkerState>('registering');
  const [workerError, setWorkerError] = useState<string | null>(null);
  const tone = useMemo(createTone, []);
  const prefsRef = useRef(prefs);
  prefsRef.current = prefs;

  useEffect(() => {
    let live = true;
    registerWorker().then(
      (reg) => {
        if (!live) return;
        setRegistration(reg);
        setWorker(reg ? 'ready' : 'unsupported');
      },
      (err: unknown) => {
        if (!live) return;
        setWorker('failed');
        setWorkerError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      live = false;
    };
  }, []);

  // the permission can change from the browser's own UI (site settings)
  useEffect(() => {
    if (!navigator.permissions) return;
    let status: PermissionStatus | null = null;
    const onChange = () => setPermission(currentPermission());
    navigator.permissions.query({ name: 'notifications' }).then(
      (s) => {
        status = s;
        s.addEventListener('change', onChange);
      },
      () => undefined,
    );
    return () => status?.removeEventListener('change', onChange);
  }, []);

  // browsers allow sound only after a gesture: the first click on the page unlocks it
  useEffect(() => {
    const onGesture = () => {
      if (prefsRef.current.sound) tone.unlock();
    };
    document.addEventListener('pointerdown', onGesture);
    return () => document.removeEventListener('pointerdown', onGesture);
  }, [tone]);

  useEffect(() => {
    if (worker === 'registering') return;
    const notifier = createNotifier({
      store,
      storage: localStorage,
      exclusive,
      canShow: () => registration !== null && currentPermission() === 'granted',
      show: (c) => registration!.showNotification(c.title, c.options),
      prefs: () => prefsRef.current,
      beep: () => tone.play(),
      now: Date.now,
      onError: (err) => console.error('on-call notification failed', err),
    });
    notifier.start();
    return () => notifier.stop();
  }, [store, registration, worker, tone]);

  const request = useCallback(async () => {
    if (typeof Notification === 'undefined') return;
    setPermission(await Notification.requestPermission());
  }, []);

  const test = useCallback(async () => {
    if (!registration || currentPermission() !== 'granted') return;
    if (prefsRef.current.sound) tone.play();
    await registration.showNotification('surgewatch test notification', {
      body: 'On-call notifications reach this browser.',
      tag: 'surgewatch-test',
      data: { alertId: null, url: '/oncall' },
    });
  }, [registration, tone]);

  return { permission, worker, workerError, request, test, unlockSound: tone.unlock };
}
