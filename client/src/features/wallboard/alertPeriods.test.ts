import type { Alert } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { alertPeriods, firingSpans, periodLabel } from './alertPeriods.js';

const T = 1_800_000_000_000;

function alert(
  id: string,
  severity: Alert['severity'],
  from: number,
  to: number | null,
  state: Alert['state'] = to === null ? 'firing' : 'resolved',
): Alert {
  return {
    id,
    rule: 'r',
    severity,
    state,
    subject: {},
    description: id,
    metric: 'bps',
    threshold: 1,
    value: 2,
    peak: 2,
    startedAt: T + from,
    updatedAt: T + from,
    resolvedAt: to === null ? null : T + to,
  } as Alert;
}

describe('alertPeriods', () => {
  it('merges overlapping alerts per severity, clips to the window, skips pending ones', () => {
    const periods = alertPeriods(
      [
        alert('a', 'critical', 10_000, 40_000),
        alert('b', 'critical', 30_000, 50_000),
        alert('c', 'critical', 70_000, null),
        alert('d', 'warning', -60_000, 20_000),
        alert('e', 'warning', 5_000, null, 'pending'),
        alert('f', 'info', -90_000, -80_000), // before the window
      ],
      [T, T + 100_000],
    );
    expect(periods).toEqual([
      { from: T, to: T + 20_000, severity: 'warning', count: 1, open: false },
      { from: T + 10_000, to: T + 50_000, severity: 'critical', count: 2, open: false },
      { from: T + 70_000, to: T + 100_000, severity: 'critical', count: 1, open: true },
    ]);
    expect(periods.map(periodLabel)).toEqual(['⚠ warning', '⚠ critical ×2', '⚠ critical']);
  });
});

describe('firingSpans', () => {
  it('leaves the calm between a resolution and a re-fire unshaded', () => {
    const a = alert('a', 'critical', 0, null);
    a.history = [
      { at: T + 1000, event: 'pending', value: 1 },
      { at: T + 5000, event: 'firing', value: 2 },
      { at: T + 60_000, event: 'resolved', value: 0 },
      { at: T + 90_000, event: 'acknowledged', value: 0 },
      { at: T + 200_000, event: 'reopened', value: 3 },
    ];
    expect(firingSpans(a)).toEqual([
      [T + 5000, T + 60_000],
      [T + 200_000, null],
    ]);
    const periods = alertPeriods([a], [T, T + 300_000]);
    expect(periods.map((p) => [p.from - T, p.to - T, p.open])).toEqual([
      [5000, 60_000, false],
      [200_000, 300_000, true],
    ]);
  });

  it('without a history: start to resolution; a pending alert never fired', () => {
    expect(firingSpans(alert('b', 'warning', 0, 10_000))).toEqual([[T, T + 10_000]]);
    expect(firingSpans(alert('c', 'warning', 0, null, 'pending'))).toEqual([]);
  });
});
