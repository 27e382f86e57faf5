import { useEffect, useMemo, useRef } from 'react';
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { SegmentedControl } from '../../components/SegmentedControl.js';
import { countryName } from '../../format/countryLabel.js';
import { formatAxisTime, formatBitRate, formatBitRateTick } from '../../format/format.js';
import { useLive } from '../../store/useLive.js';
import { timeTicks } from '../wallboard/timeTicks.js';
import type { WindowMinutes } from '../wallboard/windowSetting.js';
import { WINDOW_CHOICES } from '../wallboard/windowSetting.js';
import {
  DRILL_CHART_BY,
  DRILL_TITLES,
  toDrillChart,
  toDrillRows,
  type DrillChartBy,
  type DrillTableBy,
} from './drillModel.js';
import { useDrill } from './useDrill.js';
import { DrillTable } from './DrillTable.js';
import { useDrillChartBy } from './useDrillChartBy.js';
import './drilldown.css';

const axisTime = (t: number) => formatAxisTime(t, 'UTC');

const KEY_LABELS: Record<DrillTableBy, string> = {
  asn: 'Network',
  source: 'Address',
  destination: 'Target',
  vector: 'Vector',
};

const SUBS: Record<DrillTableBy, string> = {
  asn: 'source AS over the window',
  source: 'heaviest senders · lower bounds',
  destination: 'our addresses it hits',
  vector: 'how it hits',
};

export interface DrillPanelProps {
  country: string;
  windowMin: WindowMinutes;
  onWindowChange: (m: WindowMinutes) => void;
  onClose: () => void;
}

/**
 * One source country taken apart: its traffic over the window stacked by network, vector or
 * target, and tables of its networks, source addresses, targets and vectors — each with its
 * average, peak, share of the country and trend. Esc or the Back button closes it.
 */
export function DrillPanel({ country, windowMin, onWindowChange, onClose }: DrillPanelProps) {
  const names = useLive((s) => s.names);
  const [chartBy, setChartBy] = useDrillChartBy();
  const { data, error, loading } = useDrill(country, windowMin * 60_000);
  const slots = useRef(new Map<string, number>());
  useEffect(() => slots.current.clear(), [chartBy, country]);
  const chart = useMemo(
    () => (data ? toDrillChart(data[chartBy], slots.current) : null),
    [data, chartBy],
  );
  const tables = useMemo(
    () =>
      data
        ? {
            asn: toDrillRows(data.asn),
            source: toDrillRows(data.source),
            destination: toDrillRows(data.destination),
            vector: toDrillRows(data.vector),
          }
        : null,
    [data],
  );
  const ticks = useMemo(
    () => (chart ? timeTicks(chart.domain, windowMin * 60_000) : []),
    [chart, windowMin],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const totals = data?.asn.totals;
  const seconds = data ? Math.max(1, (data.asn.to - data.asn.from) / 1000) : 1;
  const name = countryName(country, names);
  return (
    <div className="drill" data-testid="drilldown" data-country={country}>
      <section className="panel drill-head" aria-label={`Drill-down: ${name}`}>
        <button type="button" className="drill-back" onClick={onClose}>
          <span aria-hidden="true">←</span> Back
        </button>
        <div className="drill-title">
          <h2 className="panel__title">
            <span className="drill-title__code">{country}</span> {name}
          </h2>
          <p className="panel__sub">
            {totals
              ? `${formatBitRate((totals.bytes * 8) / seconds)} on average over the last ${windowMin} min`
              : loading
                ? 'loading…'
                : ''}
            {error && <span className="drill-error"> · refresh failed: {error}</span>}
          </p>
        </div>
        <SegmentedControl
          label="Chart grouping"
          options={DRILL_CHART_BY}
          value={chartBy}
          format={(b: DrillChartBy) => DRILL_TITLES[b]}
          onChange={setChartBy}
        />
        <SegmentedControl
          label="Drill-down window"
          options={WINDOW_CHOICES}
          value={windowMin}
          format={(m) => `${m} min`}
          onChange={onWindowChange}
        />
      </section>
      <section
        className="panel drill-chart"
        data-testid="drill-chart"
        aria-label={`${name} by ${DRILL_TITLES[chartBy]}`}
      >
        <div className="drill-chart__plot">
          {chart && (
            <AreaChart
              responsive
              style={{ width: '100%', height: '100%' }}
              data={chart.rows}
              margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
            >
              <CartesianGrid stroke="#223041" strokeDasharray="3 5" vertical={false} />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={chart.domain}
                ticks={ticks}
                tickFormatter={axisTime}
                allowDataOverflow
                stroke="#3a4a5c"
                tickLine={false}
                tickMargin={8}
              />
              <YAxis
                width="auto"
                tickFormatter={formatBitRateTick}
                stroke="#3a4a5c"
                tickLine={false}
                axisLine={false}
                tickMargin={8}
              />
              <Tooltip
                isAnimationActive={false}
                labelFormatter={(t) => axisTime(Number(t))}
                formatter={(v, k) => [
                  formatBitRate(Number(v)),
                  chart.names[String(k)] ?? String(k),
                ]}
                contentStyle={{ background: '#0f1720', border: '1px solid #2a3a4c' }}
              />
              {chart.keys.map((k) => (
                <Area
                  key={k}
                  dataKey={k}
                  name={k}
                  stackId="bps"
                  type="linear"
                  stroke={chart.colours[k]}
                  strokeWidth={1.5}
                  fill={chart.colours[k]}
                  fillOpacity={0.72}
                  dot={false}
                  activeDot={false}
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          )}
        </div>
        {chart && (
          <ul className="legend" aria-label="Chart legend">
            {chart.keys.map((k) => (
              <li key={k} className="legend__item">
                <span className="swatch" style={{ background: chart.colours[k] }} />
                <span className="legend__name">{chart.names[k]}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="drill-tables">
        {(['asn', 'source', 'destination', 'vector'] as const).map((by) => (
          <DrillTableFor
            key={by}
            by={by}
            rows={tables?.[by] ?? []}
            colours={by === chartBy ? chart?.colours : undefined}
          />
        ))}
      </div>
    </div>
  );
}

function DrillTableFor({
  by,
  rows,
  colours,
}: {
  by: DrillTableBy;
  rows: ReturnType<typeof toDrillRows>;
  colours: Readonly<Record<string, string>> | undefined;
}) {
  return (
    <DrillTable
      title={DRILL_TITLES[by]}
      sub={SUBS[by]}
      keyLabel={KEY_LABELS[by]}
      rows={rows}
      testId={`drill-${by}`}
      colours={colours}
    />
  );
}
