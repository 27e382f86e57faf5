/**
 * An SVG path through `values` (oldest first) filling a `width` × `height` box, y growing
 * downwards, scaled from 0 (bottom) to the largest value so a flat line still sits where it
 * belongs. Returns "" for fewer than two values.
 */
export function sparklinePath(values: readonly number[], width: number, height: number): string {
  if (values.length < 2) return '';
  const max = Math.max(...values.map((v) => (Number.isFinite(v) ? v : 0)));
  const dx = width / (values.length - 1);
  const y = (v: number) =>
    max > 0 ? height - (Math.max(0, Number.isFinite(v) ? v : 0) / max) * height : height;
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${round(i * dx)},${round(y(v))}`).join('');
}

/** The same line closed down to the baseline, for a faint fill under it. */
export function sparklineArea(values: readonly number[], width: number, height: number): string {
  const line = sparklinePath(values, width, height);
  return line === '' ? '' : `${line}L${round(width)},${height}L0,${height}Z`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
