import { useCallback, useMemo } from 'react';
import { DrillPanel } from '../drilldown/DrillPanel.js';
import { useDrillSetting } from '../drilldown/useDrillSetting.js';
import { useLive } from '../../store/useLive.js';
import { AlertStrip } from './AlertStrip.js';
import { CountryTable } from './CountryTable.js';
import { HeadlineStats } from './HeadlineStats.js';
import { SourceHealthStrip } from './SourceHealthStrip.js';
import { SourcesView } from './SourcesView.js';
import { StaleNotice } from './StaleNotice.js';
import { Takeover } from './Takeover.js';
import { TargetsView } from './TargetsView.js';
import { TrafficChart } from './TrafficChart.js';
import { WallboardHeader } from './WallboardHeader.js';
import { rotationPaused } from './takeover.js';
import { useKioskRotation } from './useKioskRotation.js';
import { useChartModel, useIsStale } from './useWallboardData.js';
import { useViewSetting } from './useViewSetting.js';
import { useWindowSetting } from './useWindowSetting.js';
import { kioskFromQuery } from './viewSetting.js';
import './wallboard.css';

/**
 * The operations-room wall screen: one page, laid out for 1920×1080 and scaling with it (rem
 * follows the viewport width, so 4K shows the same layout at twice the size). `?kiosk=1`: no
 * controls, no cursor, the views rotate (`rotate=` seconds) except while a critical alert fires.
 */
export function Wallboard() {
  const { kiosk, rotateSec } = useMemo(() => kioskFromQuery(window.location.search), []);
  const [windowMin, setWindowMin] = useWindowSetting();
  const [view, setView] = useViewSetting();
  const paused = useLive((s) => rotationPaused(s.alerts));
  useKioskRotation(kiosk, rotateSec, paused, view, setView);
  const model = useChartModel(windowMin * 60_000);
  // A boolean, so the page re-renders when staleness flips, not every second.
  const stale = useIsStale();
  const [drillSetting, setDrill] = useDrillSetting();
  // a wall screen shows no drill-down: kiosk links may carry one, it is ignored there
  const drill = kiosk ? null : drillSetting;
  const openDrill = useCallback((country: string) => setDrill({ country }), [setDrill]);
  const closeDrill = useCallback(() => setDrill(null), [setDrill]);
  const onDrill = kiosk ? undefined : openDrill;
  const chooseView = useCallback(
    (v: typeof view) => {
      setDrill(null);
      setView(v);
    },
    [setDrill, setView],
  );
  return (
    <div
      className={`wallboard${stale ? ' is-stale' : ''}${kiosk ? ' is-kiosk' : ''}`}
      data-view={view}
    >
      <WallboardHeader
        view={view}
        onViewChange={kiosk ? undefined : chooseView}
        rotation={kiosk && rotateSec > 0 ? (paused ? 'paused' : 'on') : 'off'}
      />
      <StaleNotice />
      <AlertStrip />
      <HeadlineStats />
      <main
        className={`wb-main wb-main--${drill ? 'drill' : view}`}
        data-testid={drill ? 'view-drill' : `view-${view}`}
      >
        {drill && (
          <DrillPanel
            country={drill.country}
            windowMin={windowMin}
            onWindowChange={setWindowMin}
            onClose={closeDrill}
          />
        )}
        {!drill && view === 'traffic' && (
          <>
            <TrafficChart
              model={model}
              windowMin={windowMin}
              onWindowChange={kiosk ? undefined : setWindowMin}
              stale={stale}
            />
            <CountryTable colours={model.colours} onDrill={onDrill} />
          </>
        )}
        {!drill && view === 'sources' && <SourcesView onDrill={onDrill} />}
        {!drill && view === 'targets' && <TargetsView />}
      </main>
      <SourceHealthStrip />
      <Takeover dismissible={!kiosk} />
    </div>
  );
}
