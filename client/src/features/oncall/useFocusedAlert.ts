import { useEffect, useState } from 'react';
import { onFocusAlert } from '../../notify/serviceWorker.js';
import { alertIdFromHash } from './oncallModel.js';

/**
 * The alert the page is focused on: `#alert=<id>` in the address (a notification opened a
 * new tab), or the one whose notification was clicked while this tab was open.
 */
export function useFocusedAlert(): string | null {
  // a fresh object per request, so clicking the same alert's notification scrolls again
  const [focus, setFocus] = useState(() => ({ id: alertIdFromHash(location.hash) }));
  const id = focus.id;
  useEffect(() => {
    const onHash = () => setFocus({ id: alertIdFromHash(location.hash) });
    window.addEventListener('hashchange', onHash);
    const off = onFocusAlert((alertId) => {
      history.replaceState(null, '', `#alert=${encodeURIComponent(alertId)}`);
      setFocus({ id: alertId });
      window.focus();
    });
    return () => {
      window.removeEventListener('hashchange', onHash);
      off();
    };
  }, []);

  // bring the card into view once it is rendered (it may arrive with the snapshot)
  useEffect(() => {
    if (id === null) return;
    let tries = 0;
    const timer = setInterval(() => {
      const el = document.querySelector(`[data-alert-id="${CSS.escape(id)}"]`);
      if (el || ++tries > 20) {
        clearInterval(timer);
        el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      }
    }, 250);
    return () => clearInterval(timer);
  }, [focus, id]);
  return id;
}
