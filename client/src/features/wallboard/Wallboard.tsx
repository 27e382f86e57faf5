import { AlertStrip } from './AlertStrip.js';
import { CountryTable } from './CountryTable.js';
import { HeadlineStats } from './HeadlineStats.js';
import { SourceHealthStrip } from './SourceHealthStrip.js';
import { StaleNotice } from './StaleNotice.js';
import { TrafficChart } from './TrafficChart.js';
import { WallboardHeader } from './WallboardHeader.js';
import { useChartModel, useIsStale } from './useWallboardData.js';
import { useWindowSetting } from './useWindowSetting.js';
import './wallboard.css';

/** The operations-room wall screen: one page, laid out for 1920×1080 and scaling with it. */
export function Wallboard() {
  const [windowMin, setWindowMin] = useWindowSetting();
  const model = useChartModel(windowMin * 60_000);
  // A boolean, so the page re-renders when staleness flips, not every second.
  const stale = useIsStale();
  return (
    <div className={`wallboard${stale ? ' is-stale' : ''}`}>
      <WallboardHeader />
      <StaleNotice />
      <AlertStrip />
      <HeadlineStats />
      <main className="wb-main">
        <TrafficChart
          model={model}
          windowMin={windowMin}
          onWindowChange={setWindowMin}
          stale={stale}
        />
        <CountryTable colours={model.colours} />
      </main>
      <SourceHealthStrip />
    </div>
  );
}
