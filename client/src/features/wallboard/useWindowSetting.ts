import { useCallback, useState } from 'react';
import type { WindowMinutes } from './windowSetting.js';
import { queryWithWindow, windowFromQuery } from './windowSetting.js';

/** The chart window, initialised from and written back to the URL so a reload keeps it. */
export function useWindowSetting(): [WindowMinutes, (minutes: WindowMinutes) => void] {
  const [minutes, setMinutes] = useState<WindowMinutes>(() =>
    windowFromQuery(window.location.search),
  );
  const choose = useCallback((m: WindowMinutes) => {
    setMinutes(m);
    window.history.replaceState(
      null,
      '',
      queryWithWindow(window.location.search, m) + window.location.hash,
    );
  }, []);
  return [minutes, choose];
}
