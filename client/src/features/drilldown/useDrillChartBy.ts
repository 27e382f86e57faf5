import { useCallback, useState } from 'react';
import { queryWith } from '../wallboard/viewSetting.js';
import { DRILL_CHART_BY, type DrillChartBy } from './drillModel.js';

/** What the drill-down chart stacks by (`?drillBy=`, default networks), kept in the URL. */
export function useDrillChartBy(): [DrillChartBy, (by: DrillChartBy) => void] {
  const [by, setBy] = useState<DrillChartBy>(() => {
    const raw = new URLSearchParams(window.location.search).get('drillBy');
    return (DRILL_CHART_BY as readonly string[]).includes(raw ?? '')
      ? (raw as DrillChartBy)
      : 'asn';
  });
  const choose = useCallback((next: DrillChartBy) => {
    setBy(next);
    window.history.replaceState(
      null,
      '',
      queryWith(window.location.search, 'drillBy', next) + window.location.hash,
    );
  }, []);
  return [by, choose];
}
