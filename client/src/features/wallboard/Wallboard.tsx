import { useMemo } from 'react';
import { AlertStrip } from './AlertStrip.js';
import { CountryTable } from './CountryTable.js';
import { HeadlineStats } from './HeadlineStats.js';
import { SourceHealthStrip } from './SourceHealthStrip.js';
import { SourcesView } from './SourcesView.js';
import { StaleNotice } from './StaleNotice.js';
import { TargetsView } from './TargetsView.js';
import { TrafficChart } from './TrafficChart.js';
import { WallboardHeader } from './WallboardHeader.js';
import { useChartModel, useIsStale } from './useWallboardData.js';
import { useViewSetting } from './useViewSetting.js';
import { useWindowSetting } from './useWindowSetting.js';
import { kioskFromQuery } from './viewSetting.js';
import './wallboard.css';

/** The operations-room wall screen: one page, laid out for 1920×1080 and scaling with it. */
export function Wallboard() {
  const { kiosk } = useMemo(() => kioskFromQuery(window.location.search), []);
  const [windowMin, setWindowMin] = useWindowSetting();
  const [view, setView] = useViewSetting();
  const model = useChartModel(windowMin * 60_000);
  // A boolean, so the page re-renders when staleness flips, not every second.
  const stale = useIsStale();
  return (
    <div
      className={`wallboard${stale ? ' is-stale' : ''}${kiosk ? ' is-kiosk' : ''}`}
      data-view={view}
    >
      <WallboardHeader view={view} onViewChange={kiosk ? undefined : setView} />
      <StaleNotice />
      <AlertStrip />
      <HeadlineStats />
      <main className={`wb-main wb-main--${view}`} data-testid={`view-${view}`}>
        {view === 'traffic' && (
          <>
            <TrafficChart
              model={model}
              windowMin={windowMin}
              onWindowChange={kiosk ? undefined : setWindowMin}
              stale={stale}
            />
            <CountryTable colours={model.colours} />
          </>
        )}
        {view === 'sources' && <SourcesView />}
        {view === 'targets' && <TargetsView />}
      </main>
      <SourceHealthStrip />
    </div>
  );
}
