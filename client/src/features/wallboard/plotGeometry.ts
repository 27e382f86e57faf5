import type { SeriesRow } from './toSeries.js';
import { BAND_HI, BAND_LO } from './toSeries.js';

/** A linear map from data units to pixels, with its inverse. */
export interface LinearScale {
  (v: number): number;
  invert(px: number): number;
}

/** Maps `domain` onto `range` linearly; a zero-width domain maps everything to range[0]. */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const scale = ((v: number) => r0 + (v - d0) * k) as LinearScale;
  scale.invert = (px: number) => (k === 0 ? d0 : d0 + (px - r0) / k);
  return scale;
}

/**
 * Value-axis ticks from 0 to at least `max`, at most `intervals` steps of 1, 2, 2.5 or 5
 * times a power of ten (0, 5, 10, 15, 20 Gb/s), so labels stay short. The last tick is the
 * axis's top.
 */
export function niceTicks(max: number, intervals = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const rough = max / Math.max(1, intervals);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * magnitude).find((s) => s >= rough * (1 - 1e-9))!;
  const ticks: number[] = [];
  // multiply, never add: 0.1 + 0.2 drifts
  for (let i = 0; ; i++) {
    const t = i * step;
    ticks.push(t);
    if (t >= max * (1 - 1e-9)) break;
  }
  return ticks;
}

/** One band of the stack: its lower and upper edge per row, null where the row has no data. */
export interface StackLayer {
  key: string;
  lower: (number | null)[];
  upper: (number | null)[];
}

/**
 * Stacks `keys` bottom up (the first key on the baseline). A null value (a gap row) leaves
 * the layer undefined there and adds nothing to the layers above. `max` is the highest top.
 */
export function stackLayers(
  rows: readonly SeriesRow[],
  keys: readonly string[],
): { layers: StackLayer[]; max: number } {
  const base = new Array<number>(rows.length).fill(0);
  let max = 0;
  const layers = keys.map((key) => {
    const lower: (number | null)[] = new Array(rows.length);
    const upper: (number | null)[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i]![key];
      if (v == null) {
        lower[i] = null;
        upper[i] = null;
        continue;
      }
      const b = base[i]!;
      lower[i] = b;
      upper[i] = b + v;
      base[i] = b + v;
      if (b + v > max) max = b + v;
    }
    return { key, lower, upper };
  });
  return { layers, max };
}

/** The total's normal band (median to threshold, bits/s) as a layer, and its highest top. */
export function bandLayer(rows: readonly SeriesRow[]): { layer: StackLayer; max: number } {
  let max = 0;
  const lower = rows.map((r) => r[BAND_LO] ?? null);
  const upper = rows.map((r) => {
    const hi = r[BAND_HI] ?? null;
    if (hi !== null && hi > max) max = hi;
    return r[BAND_LO] == null ? null : hi;
  });
  return { layer: { key: 'band', lower, upper }, max };
}

/** Pixel coordinates rounded to a tenth: plenty for a screen, and shorter path strings. */
const px = (v: number) => Math.round(v * 10) / 10;

/** Index runs [from, to] where `values` is defined. */
function runs(values: readonly (number | null)[]): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= values.length; i++) {
    const defined = i < values.length && values[i] != null;
    if (defined && start < 0) start = i;
    if (!defined && start >= 0) {
      out.push([start, i - 1]);
      start = -1;
    }
  }
  return out;
}

const identity = (v: number) => v;

/**
 * SVG path of a layer's filled area: straight segments along the upper edge, back along the
 * lower edge; a separate closed shape per stretch of data, so gaps stay empty. `xs` are
 * pixels; `y` maps the edges' values to pixels.
 */
export function areaPath(
  xs: readonly number[],
  lower: readonly (number | null)[],
  upper: readonly (number | null)[],
  y: (v: number) => number = identity,
): string {
  let d = '';
  for (const [from, to] of runs(upper)) {
    d += `M${px(xs[from]!)},${px(y(upper[from]!))}`;
    for (let i = from + 1; i <= to; i++) d += `L${px(xs[i]!)},${px(y(upper[i]!))}`;
    for (let i = to; i >= from; i--) d += `L${px(xs[i]!)},${px(y(lower[i] ?? 0))}`;
    d += 'Z';
  }
  return d;
}

/** SVG path of a line through `values` (mapped to pixels by `y`), broken where one is null. */
export function linePath(
  xs: readonly number[],
  values: readonly (number | null)[],
  y: (v: number) => number = identity,
): string {
  let d = '';
  for (const [from, to] of runs(values)) {
    d += `M${px(xs[from]!)},${px(y(values[from]!))}`;
    for (let i = from + 1; i <= to; i++) d += `L${px(xs[i]!)},${px(y(values[i]!))}`;
  }
  return d;
}

/** Index of the row whose time is nearest to `t` (rows sorted by time); -1 if there are none. */
export function nearestRow(rows: readonly { t: number }[], t: number): number {
  if (rows.length === 0) return -1;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && t - rows[lo - 1]!.t <= rows[lo]!.t - t) return lo - 1;
  return lo;
}
