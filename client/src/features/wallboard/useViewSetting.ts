import { useCallback, useState } from 'react';
import type { View } from './viewSetting.js';
import { queryWith, viewFromQuery } from './viewSetting.js';

/** The current view, initialised from and written back to the URL so a link shows the same. */
export function useViewSetting(): [View, (view: View) => void] {
  const [view, setView] = useState<View>(() => viewFromQuery(window.location.search));
  const choose = useCallback((v: View) => {
    setView(v);
    window.history.replaceState(
      null,
      '',
      queryWith(window.location.search, 'view', v) + window.location.hash,
    );
  }, []);
  return [view, choose];
}
