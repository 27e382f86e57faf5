import { useMemo } from 'react';
import { SegmentedControl } from '../../components/SegmentedControl.js';
import { useLive } from '../../store/useLive.js';
import { alertPeriods } from './alertPeriods.js';
import { ChartLegend } from './ChartLegend.js';
import { timeTicks } from './timeTicks.js';
import { TrafficPlot } from './TrafficPlot.js';
import './trafficChart.css';
import type { ChartModel } from './seriesModel.js';
import { BAND_HI } from './toSeries.js';
import { CHART_TOP_N } from './useWallboardData.js';
import type { WindowMinutes } from './windowSetting.js';
import { WINDOW_CHOICES } from './windowSetting.js';

export interface TrafficChartProps {
  model: ChartModel;
  windowMin: WindowMinutes;
  /** Absent in kiosk mode: no controls on the wall. */
  onWindowChange?: ((minutes: WindowMinutes) => void) | undefined;
  stale: boolean;
}

/** Stacked bits/s by source country over the chosen window; redraws once per tick. */
export function TrafficChart({ model, windowMin, onWindowChange, stale }: TrafficChartProps) {
  const windowMs = windowMin * 60_000;
  const names = useLive((s) => s.names);
  const alerts = useLive((s) => s.alerts);
  const periods = useMemo(
    () => alertPeriods(alerts.values(), model.domain),
    [alerts, model.domain],
  );
  const hasBand = useMemo(() => model.rows.some((r) => r[BAND_HI] != null), [model.rows]);
  const ticks = useMemo(() => timeTicks(model.domain, windowMs), [model.domain, windowMs]);

  return (
    <section
      className={`panel chart-panel${stale ? ' is-stale' : ''}`}
      data-testid="chart"
      aria-label="Traffic by source country"
    >
      <div className="panel__head">
        <div>
          <h2 className="panel__title">Traffic by source country</h2>
          <p className="panel__sub">
            bits/s, stacked · top {CHART_TOP_N} + other · time in UTC
            {model.bucketMs > 1000 ? ` · ${model.bucketMs / 1000} s averages` : ''}
          </p>
        </div>
        {onWindowChange ? (
          <SegmentedControl
            label="Chart window"
            options={WINDOW_CHOICES}
            value={windowMin}
            format={(m) => `${m} min`}
            onChange={onWindowChange}
          />
        ) : (
          <span className="panel__note">last {windowMin} min</span>
        )}
      </div>
      <TrafficPlot model={model} periods={periods} xTicks={ticks} band={hasBand} names={names} />
      <ChartLegend keys={model.keys} colours={model.colours} names={names} band={hasBand} />
    </section>
  );
}
