import { useMemo, useState } from 'react';
import { Area, AreaChart, CartesianGrid, ReferenceArea, Tooltip, XAxis, YAxis } from 'recharts';
import { SegmentedControl } from '../../components/SegmentedControl.js';
import { formatAxisTime, formatBitRateTick } from '../../format/format.js';
import { useLive } from '../../store/useLive.js';
import { alertPeriods, periodLabel } from './alertPeriods.js';
import { ChartLegend } from './ChartLegend.js';
import { ChartTooltip } from './ChartTooltip.js';
import { timeTicks } from './timeTicks.js';
import './trafficChart.css';
import type { ChartModel } from './seriesModel.js';
import { BAND_HI, BAND_LO, type SeriesRow } from './toSeries.js';
import { CHART_TOP_N } from './useWallboardData.js';
import type { WindowMinutes } from './windowSetting.js';
import { WINDOW_CHOICES } from './windowSetting.js';

const axisTime = (t: number) => formatAxisTime(t, 'UTC');
const axisRate = (bps: number) => formatBitRateTick(bps);
/** The band as a range for recharts: [median, threshold], or null where there is none. */
const bandOf = (r: SeriesRow) => {
  const lo = r[BAND_LO];
  const hi = r[BAND_HI];
  return lo == null || hi == null ? null : [lo, hi];
};
/** Shading per severity: the palette's own red and amber, faint, labelled in words. */
const PERIOD_FILL = { critical: '#ee3377', warning: '#ee8866', info: '#77aadd' } as const;

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
  // the tooltip's bookkeeping runs on every redraw: only while a pointer is over the chart
  const [hovered, setHovered] = useState(false);
  const periods = useMemo(
    () => alertPeriods(alerts.values(), model.domain),
    [alerts, model.domain],
  );
  const hasBand = useMemo(() => model.rows.some((r) => r[BAND_HI] != null), [model.rows]);
  const ticks = useMemo(() => timeTicks(model.domain, windowMs), [model.domain, windowMs]);
  // The axis labels are sized in rem (they grow on a 4K screen); recharts wants pixels.
  const rem = useMemo(() => parseFloat(getComputedStyle(document.documentElement).fontSize), []);
  const axisHeight = Math.round(2.1 * rem);
  // a fixed width: "auto" measures every tick label in the DOM on every redraw
  const axisWidth = Math.round(5.6 * rem);

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
      <div
        className="chart-panel__plot"
        onPointerEnter={() => setHovered(true)}
        onPointerLeave={() => setHovered(false)}
      >
        <AreaChart
          responsive
          style={{ width: '100%', height: '100%' }}
          data={model.rows}
          margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke="#223041" strokeDasharray="3 5" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={model.domain}
            ticks={ticks}
            tickFormatter={axisTime}
            allowDataOverflow
            stroke="#3a4a5c"
            tickLine={false}
            tickMargin={8}
            height={axisHeight}
          />
          <YAxis
            width={axisWidth}
            tickFormatter={axisRate}
            stroke="#3a4a5c"
            tickLine={false}
            axisLine={false}
            tickMargin={8}
          />
          {hovered && (
            <Tooltip
              isAnimationActive={false}
              cursor={{ stroke: '#c9d4df', strokeWidth: 1 }}
              content={<ChartTooltip keys={model.keys} colours={model.colours} names={names} />}
            />
          )}
          {periods.map((p) => (
            <ReferenceArea
              key={`${p.severity}-${p.from}`}
              x1={p.from}
              x2={p.to}
              ifOverflow="hidden"
              fill={PERIOD_FILL[p.severity]}
              fillOpacity={0.14}
              stroke={PERIOD_FILL[p.severity]}
              strokeOpacity={0.5}
              strokeDasharray="2 4"
              label={{
                value: periodLabel(p),
                // critical on top, the rest at the bottom: overlapping labels stay readable
                position: p.severity === 'critical' ? 'insideTopLeft' : 'insideBottomLeft',
                fill: PERIOD_FILL[p.severity],
                fontSize: '0.9rem',
              }}
            />
          ))}
          {model.keys.map((k) => (
            <Area
              key={k}
              dataKey={k}
              name={k}
              stackId="bps"
              type="linear"
              stroke={model.colours[k]}
              strokeWidth={1.5}
              fill={model.colours[k]}
              fillOpacity={0.72}
              dot={false}
              activeDot={false}
              isAnimationActive={false}
            />
          ))}
          {hasBand && (
            <Area
              dataKey={bandOf}
              name="normal"
              type="linear"
              stroke="#d8e2ec"
              strokeWidth={1.5}
              strokeDasharray="6 4"
              fill="#d8e2ec"
              fillOpacity={0.07}
              dot={false}
              activeDot={false}
              isAnimationActive={false}
              tooltipType="none"
            />
          )}
        </AreaChart>
      </div>
      <ChartLegend keys={model.keys} colours={model.colours} names={names} band={hasBand} />
    </section>
  );
}
