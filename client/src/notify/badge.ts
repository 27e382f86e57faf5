import type { Alert } from '@surgewatch/shared';
import { needsAttention } from './notifyPolicy.js';

/** How many alerts are firing with nobody on them (not acknowledged, not silenced). */
export function unattendedCount(alerts: Iterable<Alert>): number {
  let n = 0;
  for (const a of alerts) if (needsAttention(a)) n++;
  return n;
}

/** The tab title: "(3) base" while alerts need attention, `base` otherwise. */
export function titleFor(count: number, base: string): string {
  return count > 0 ? `(${count}) ${base}` : base;
}

/** The count as the favicon draws it: up to 99, then "99+". */
export function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}

/**
 * The favicon as a data URL: the surgewatch trace, with a red disc and the count over it
 * while alerts need attention.
 */
export function faviconFor(count: number): string {
  const trace = `<path d='M2 24 10 14l6 6 6-12 8 16' fill='none' stroke='%2377AADD' stroke-width='4'/>`;
  if (count <= 0) return svgUrl(trace);
  const text = badgeText(count);
  const size = text.length > 2 ? 12 : text.length > 1 ? 16 : 20;
  const badge =
    `<circle cx='16' cy='16' r='15' fill='%23EE6677'/>` +
    `<text x='16' y='16' dy='0.36em' text-anchor='middle' font-family='Arial,sans-serif' ` +
    `font-weight='700' font-size='${size}' fill='white'>${text}</text>`;
  return svgUrl(badge);
}

function svgUrl(body: string): string {
  return `data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E${body
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')}%3C/svg%3E`;
}
