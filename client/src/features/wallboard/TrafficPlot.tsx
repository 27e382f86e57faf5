import { memo, useId, useMemo, useState } from 'react';
import type { CSSProperties, PointerEvent } from 'react';
import { formatAxisTime, formatBitRateTick } from '../../format/format.js';
import type { AlertPeriod } from './alertPeriods.js';
import { periodLabel } from './alertPeriods.js';
import { ChartTooltip } from './ChartTooltip.js';
import type { LinearScale, StackLayer } from './plotGeometry.js';
import {
  areaPath,
  bandLayer,
  linearScale,
  linePath,
  nearestRow,
  niceTicks,
  stackLayers,
} from './plotGeometry.js';
import type { ChartModel } from './seriesModel.js';
import type { Size } from './useElementSize.js';
import { useElementSize } from './useElementSize.js';

/** Shading per severity: the palette's own red and amber, faint, labelled in words. */
const PERIOD_FILL = { critical: '#ee3377', warning: '#ee8866', info: '#77aadd' } as const;
const BAND_COLOUR = '#d8e2ec';
const AXIS_COLOUR = '#3a4a5c';
const GRID_COLOUR = '#223041';
/** Plot margins inside the SVG, px (the axes' room is added to the left and bottom). */
const MARGIN = { top: 8, right: 12 } as const;
/** Gap between an axis and its labels, px. */
const LABEL_GAP = 14;

export interface TrafficPlotProps {
  model: ChartModel;
  periods: readonly AlertPeriod[];
  /** Time-axis ticks, ms epoch. */
  xTicks: readonly number[];
  /** Whether to draw the total's normal band. */
  band: boolean;
  names: Readonly<Record<string, string>>;
}

interface Geometry {
  size: Size;
  /** The plot area, px. */
  left: number;
  top: number;
  right: number;
  bottom: number;
  x: LinearScale;
  y: LinearScale;
  yTicks: number[];
  xs: number[];
  layers: StackLayer[];
  band: StackLayer | null;
  /** Font size of the period labels, px (0.9 rem). */
  labelPx: number;
}

function geometry(model: ChartModel, size: Size, withBand: boolean, rem: number): Geometry {
  const left = Math.round(5.6 * rem);
  const top = MARGIN.top;
  const right = Math.max(left + 1, size.width - MARGIN.right);
  const bottom = Math.max(top + 1, size.height - Math.round(2.1 * rem));
  const { layers, max: stackMax } = stackLayers(model.rows, model.keys);
  const band = withBand ? bandLayer(model.rows) : null;
  const yTicks = niceTicks(Math.max(stackMax, band?.max ?? 0));
  const y = linearScale([0, yTicks[yTicks.length - 1] || 1], [bottom, top]);
  const x = linearScale(model.domain, [left, right]);
  const xs = model.rows.map((r) => x(r.t));
  const labelPx = 0.9 * rem;
  return {
    size,
    left,
    top,
    right,
    bottom,
    x,
    y,
    yTicks,
    xs,
    layers,
    band: band?.layer ?? null,
    labelPx,
  };
}

/**
 * The stacked bits/s chart itself, drawn as plain SVG: a dozen elements whose paths change
 * once a tick, so a redraw costs about a millisecond where a general chart library spent
 * most of a long task. Hover shows a cursor and every band's value at that time.
 */
export function TrafficPlot({ model, periods, xTicks, band, names }: TrafficPlotProps) {
  const [ref, size] = useElementSize<HTMLDivElement>();
  // The axes are sized in rem, which follows the viewport (they grow on a 4K screen): read
  // again when the plot is resized, not on every tick.
  const rem = useMemo(
    () => (size ? parseFloat(getComputedStyle(document.documentElement).fontSize) : 16),
    [size],
  );
  const geo = useMemo(
    () => (size ? geometry(model, size, band, rem) : null),
    [model, size, band, rem],
  );
  // the pointer's x in the plot, px; null when it is elsewhere
  const [hoverX, setHoverX] = useState<number | null>(null);
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    setHoverX(e.clientX - e.currentTarget.getBoundingClientRect().left);
  };
  return (
    <div
      className="chart-panel__plot"
      ref={ref}
      onPointerMove={onPointerMove}
      onPointerLeave={() => setHoverX(null)}
    >
      {geo && <PlotSvg geo={geo} model={model} periods={periods} xTicks={xTicks} />}
      {geo && hoverX !== null && <Hover geo={geo} model={model} x={hoverX} names={names} />}
    </div>
  );
}

/** Everything but the hover: redrawn when the data or the size changes, not when the pointer moves. */
const PlotSvg = memo(function PlotSvg({
  geo,
  model,
  periods,
  xTicks,
}: {
  geo: Geometry;
  model: ChartModel;
  periods: readonly AlertPeriod[];
  xTicks: readonly number[];
}) {
  const clipId = `plot-clip-${useId().replace(/[^\w-]/g, '')}`;
  const { size, left, top, right, bottom, x, y, xs, labelPx } = geo;
  const clip = `url(#${clipId})`;
  return (
    <svg
      className="plot"
      width={size.width}
      height={size.height}
      role="img"
      aria-label="Stacked bits/s by source country"
    >
      <defs>
        <clipPath id={clipId}>
          <rect x={left} y={top} width={right - left} height={bottom - top} />
        </clipPath>
      </defs>
      <g className="plot__grid">
        {geo.yTicks.map((t) => (
          <line
            key={t}
            x1={left}
            x2={right}
            y1={y(t)}
            y2={y(t)}
            stroke={GRID_COLOUR}
            strokeDasharray="3 5"
          />
        ))}
      </g>
      {/* Class names as recharts', so the drill-down's chart and this one read alike to tests. */}
      <g clipPath={clip}>
        {periods.map((p) => (
          <g key={`${p.severity}-${p.from}`} className="recharts-reference-area">
            <rect
              x={x(p.from)}
              y={top}
              width={Math.max(0, x(p.to) - x(p.from))}
              height={bottom - top}
              fill={PERIOD_FILL[p.severity]}
              fillOpacity={0.14}
              stroke={PERIOD_FILL[p.severity]}
              strokeOpacity={0.5}
              strokeDasharray="2 4"
            />
          </g>
        ))}
        {geo.layers.map((l) => (
          <g key={l.key} className="recharts-area">
            <path
              className="recharts-area-area"
              d={areaPath(xs, l.lower, l.upper, y)}
              fill={model.colours[l.key]}
              fillOpacity={0.72}
              stroke="none"
            />
            <path
              className="recharts-area-curve"
              d={linePath(xs, l.upper, y)}
              fill="none"
              stroke={model.colours[l.key]}
              strokeWidth={1.5}
            />
          </g>
        ))}
        {geo.band && (
          <g className="recharts-area plot__band">
            <path
              className="recharts-area-area"
              d={areaPath(xs, geo.band.lower, geo.band.upper, y)}
              fill={BAND_COLOUR}
              fillOpacity={0.07}
              stroke="none"
            />
            {[geo.band.upper, geo.band.lower].map((edge, i) => (
              <path
                key={i}
                className="recharts-area-curve"
                d={linePath(xs, edge, y)}
                fill="none"
                stroke={BAND_COLOUR}
                strokeWidth={1.5}
                strokeDasharray="6 4"
              />
            ))}
          </g>
        )}
      </g>
      <g className="plot__axis">
        <line x1={left} x2={right} y1={bottom} y2={bottom} stroke={AXIS_COLOUR} />
        {xTicks.map((t) => (
          <text
            key={t}
            className="plot__tick"
            x={x(t)}
            y={bottom + LABEL_GAP}
            dy="0.71em"
            textAnchor="middle"
          >
            {formatAxisTime(t, 'UTC')}
          </text>
        ))}
        {geo.yTicks.map((t) => (
          <text
            key={t}
            className="plot__tick"
            x={left - LABEL_GAP}
            y={y(t)}
            dy="0.355em"
            textAnchor="end"
          >
            {formatBitRateTick(t)}
          </text>
        ))}
      </g>
      <g className="plot__labels">
        {periods.map((p) => {
          const atTop = p.severity === 'critical';
          const label = periodLabel(p);
          const from = Math.max(left, x(p.from)) + 5;
          // near the right edge a label ends at the edge rather than running off the chart
          const endAnchored = from + label.length * 0.55 * labelPx > right;
          // critical on top, the rest at the bottom: overlapping labels stay readable
          return (
            <text
              key={`${p.severity}-${p.from}`}
              x={endAnchored ? right - 5 : from}
              y={atTop ? top + 5 : bottom - 5}
              dy={atTop ? '0.71em' : undefined}
              textAnchor={endAnchored ? 'end' : 'start'}
              fill={PERIOD_FILL[p.severity]}
              className="plot__period-label"
            >
              {label}
            </text>
          );
        })}
      </g>
    </svg>
  );
});

/** The cursor line and the tooltip for the row nearest the pointer. */
function Hover({
  geo,
  model,
  x,
  names,
}: {
  geo: Geometry;
  model: ChartModel;
  x: number;
  names: Readonly<Record<string, string>>;
}) {
  if (x < geo.left || x > geo.right) return null;
  const i = nearestRow(model.rows, geo.x.invert(x));
  const row = model.rows[i];
  if (!row) return null;
  const cx = geo.xs[i]!;
  // beside the cursor, on whichever side has room; at the top, where the tallest stack
  // (9 rows) still fits inside the plot
  const style: CSSProperties =
    cx > geo.size.width / 2 ? { right: geo.size.width - cx + 16 } : { left: cx + 16 };
  return (
    <>
      <svg
        className="plot__hover"
        width={geo.size.width}
        height={geo.size.height}
        aria-hidden="true"
      >
        <line x1={cx} x2={cx} y1={geo.top} y2={geo.bottom} stroke="#c9d4df" strokeWidth={1} />
      </svg>
      <div className="chart-panel__tooltip" style={style}>
        <ChartTooltip keys={model.keys} colours={model.colours} names={names} row={row} />
      </div>
    </>
  );
}
