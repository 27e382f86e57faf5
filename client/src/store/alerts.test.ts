import type { Alert } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { alertsById, applyAlertUpdate, countBySeverity, firingAlerts } from './alerts.js';

function alert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    rule: 'country-bps',
    severity: 'warning',
    state: 'firing',
    subject: { country: 'RU' },
    description: 'Traffic from RU above threshold',
    metric: 'bps',
    threshold: 1e9,
    value: 2e9,
    peak: 3e9,
    startedAt: 1000,
    updatedAt: 1000,
    resolvedAt: null,
    ack: null,
    ...over,
  };
}

describe('applyAlertUpdate', () => {
  it('adds, replaces and removes alerts without mutating', () => {
    const m0 = alertsById([alert('a')]);
    const m1 = applyAlertUpdate(m0, { type: 'upsert', alert: alert('b') });
    const m2 = applyAlertUpdate(m1, {
      type: 'upsert',
      alert: alert('a', { state: 'resolved', updatedAt: 2000 }),
    });
    const m3 = applyAlertUpdate(m2, { type: 'remove', id: 'b' });
    expect([...m0.keys()]).toEqual(['a']);
    expect([...m1.keys()]).toEqual(['a', 'b']);
    expect(m2.get('a')?.state).toBe('resolved');
    expect([...m3.keys()]).toEqual(['a']);
  });

  it('ignores stale upserts and unknown removes', () => {
    const m = alertsById([alert('a', { updatedAt: 5000 })]);
    expect(applyAlertUpdate(m, { type: 'upsert', alert: alert('a', { updatedAt: 4000 }) })).toBe(m);
    expect(applyAlertUpdate(m, { type: 'remove', id: 'zzz' })).toBe(m);
  });
});

describe('firingAlerts', () => {
  it('lists firing alerts, most severe and unacknowledged first, newest first', () => {
    const ack = { by: 'ops', at: 1, note: '' };
    const m = alertsById([
      alert('old-warning', { startedAt: 1 }),
      alert('new-warning', { startedAt: 9 }),
      alert('critical-acked', { severity: 'critical', ack }),
      alert('critical', { severity: 'critical' }),
      alert('resolved', { severity: 'critical', state: 'resolved' }),
      alert('pending', { state: 'pending' }),
      alert('info', { severity: 'info', startedAt: 99 }),
    ]);
    expect(firingAlerts(m).map((a) => a.id)).toEqual([
      'critical',
      'critical-acked',
      'new-warning',
      'old-warning',
      'info',
    ]);
  });
});

describe('countBySeverity', () => {
  it('counts per severity, most severe first', () => {
    const list = [
      alert('a', { severity: 'info' }),
      alert('b'),
      alert('c', { severity: 'critical' }),
      alert('d'),
    ];
    expect(countBySeverity(list)).toEqual([
      { severity: 'critical', count: 1 },
      { severity: 'warning', count: 2 },
      { severity: 'info', count: 1 },
    ]);
    expect(countBySeverity([])).toEqual([]);
  });
});
