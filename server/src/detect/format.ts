import type { RuleMetric } from './rules.js';

const PREFIXES = ['', 'k', 'M', 'G', 'T'] as const;

function scaled(v: number): string {
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 1000 && i < PREFIXES.length - 1) {
    x /= 1000;
    i++;
  }
  const digits = x >= 100 || Number.isInteger(x) ? 0 : 1;
  return `${x.toFixed(digits)} ${PREFIXES[i]}`;
}

/** A metric value for people: bps as "12.3 Mb/s", pps, fps, sources, share as a percentage. */
export function formatMetric(metric: RuleMetric, v: number): string {
  switch (metric) {
    case 'bps':
      return `${scaled(v)}b/s`;
    case 'pps':
      return `${scaled(v)}pps`;
    case 'fps':
      return `${scaled(v)}flows/s`;
    case 'sources':
      return `${scaled(v)}sources`;
    case 'share':
      return `${(v * 100).toFixed(1)} %`;
  }
}
