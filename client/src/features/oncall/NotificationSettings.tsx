import type { Severity } from '@surgewatch/shared';
import { SEVERITIES } from '@surgewatch/shared';
import type { NotifyPrefs } from '../../notify/prefs.js';
import { MAX_RENOTIFY_MIN, clampRenotify } from '../../notify/prefs.js';
import type { Notifications } from '../../notify/useNotifications.js';

const PERMISSION_TEXT: Record<Notifications['permission'], string> = {
  granted: 'On: new firing alerts show as system notifications, also while this tab is hidden.',
  default:
    'Off: this browser has not been asked yet. Turn them on so an alert reaches you while this tab is in the background.',
  denied:
    'Blocked in this browser. To allow them, open the site settings (the icon left of the address) and set Notifications to Allow; this page picks the change up by itself.',
  unsupported:
    'Not available here: this browser has no notifications, or the page is not on https or localhost.',
};

/** Notification permission (asked only on a click), severity, sound and reminders. */
export function NotificationSettings({
  notifications,
  prefs,
  setPrefs,
}: {
  notifications: Notifications;
  prefs: NotifyPrefs;
  setPrefs: (change: Partial<NotifyPrefs>) => void;
}) {
  const { permission, worker, workerError } = notifications;
  return (
    <section className="oc-settings" aria-labelledby="oc-settings-title">
      <h2 id="oc-settings-title">Notifications</h2>
      <p
        className={`oc-permission oc-permission--${permission}`}
        data-testid="notify-permission"
        data-permission={permission}
      >
        {PERMISSION_TEXT[permission]}
      </p>
      {permission === 'default' && (
        <button
          type="button"
          className="oc-button oc-button--primary"
          data-testid="notify-enable"
          onClick={() => void notifications.request()}
        >
          Turn on notifications
        </button>
      )}
      {worker === 'failed' && (
        <p className="oc-message oc-message--error">
          The notification worker did not start ({workerError}); alerts still show on this page.
        </p>
      )}

      <label className="oc-form__field">
        <span>Notify for alerts at or above</span>
        <select
          value={prefs.minSeverity}
          data-testid="notify-severity"
          onChange={(e) => setPrefs({ minSeverity: e.target.value as Severity })}
        >
          {[...SEVERITIES].reverse().map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="oc-form__field">
        <span>Remind about an unacknowledged critical alert every (minutes, 0 = never)</span>
        <input
          type="number"
          min={0}
          max={MAX_RENOTIFY_MIN}
          value={prefs.renotifyMin}
          data-testid="notify-renotify"
          onChange={(e) => setPrefs({ renotifyMin: clampRenotify(e.target.value) })}
        />
      </label>
      <label className="oc-check">
        <input
          type="checkbox"
          checked={prefs.sound}
          data-testid="notify-sound"
          onChange={(e) => {
            // the click is the gesture that lets the page make sound
            if (e.target.checked) notifications.unlockSound();
            setPrefs({ sound: e.target.checked });
          }}
        />
        Play a tone with each notification
      </label>
      {permission === 'granted' && worker === 'ready' && (
        <button type="button" className="oc-button" onClick={() => void notifications.test()}>
          Send a test notification
        </button>
      )}
      <p className="oc-dim oc-settings__note">
        Settings are kept in this browser. Each wave of an incident notifies once across all its
        tabs and reconnects (a second wave notifies again); acknowledging stops the reminders.
      </p>
    </section>
  );
}
