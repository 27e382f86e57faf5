import { useCallback, useEffect, useState } from 'react';
import { drillFromQuery, queryWithDrill, type Drill } from './drillSetting.js';

/**
 * The open drill-down, from and back to the URL. Opening one pushes a history entry, so the
 * browser's Back button closes it; closing replaces it.
 */
export function useDrillSetting(): [Drill | null, (drill: Drill | null) => void] {
  const [drill, setDrill] = useState<Drill | null>(() => drillFromQuery(window.location.search));
  useEffect(() => {
    const onPop = () => setDrill(drillFromQuery(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const choose = useCallback((next: Drill | null) => {
    setDrill(next);
    const url =
      (queryWithDrill(window.location.search, next) || window.location.pathname) +
      window.location.hash;
    if (next) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }, []);
  return [drill, choose];
}
