import { sparklineArea, sparklinePath } from './sparklinePath.js';

const W = 160;
const H = 40;

/** A tiny trend line; scales with its box (the viewBox is fixed, the SVG stretches). */
export function Sparkline({ values, colour }: { values: readonly number[]; colour: string }) {
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      aria-hidden="true"
    >
      <path d={sparklineArea(values, W, H)} fill={colour} opacity={0.16} />
      <path
        d={sparklinePath(values, W, H)}
        fill="none"
        stroke={colour}
        strokeWidth={2}
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  );
}
