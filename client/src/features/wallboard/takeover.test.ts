import type { Alert } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { alertsById } from '../../store/alerts.js';
import { dismissTakeover, INITIAL_TAKEOVER, nextTakeover, rotationPaused } from './takeover.js';

function alert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    rule: 'r',
    severity: 'critical',
    state: 'firing',
    subject: { country: 'RU' },
    description: '',
    metric: 'bps',
    threshold: 1,
    value: 2,
    peak: 2,
    startedAt: 0,
    updatedAt: 0,
    resolvedAt: null,
    ack: null,
    ...over,
  };
}

describe('nextTakeover', () => {
  it('does not take over for criticals already firing when the page opened', () => {
    const s1 = nextTakeover(INITIAL_TAKEOVER, alertsById([alert('old')]), 0);
    expect(s1).toMatchObject({ primed: true, showing: null });
    expect(nextTakeover(s1, alertsById([alert('old')]), 1000)).toBe(s1);
  });

  it('takes over for a new critical, newest first, and not for warnings', () => {
    const s1 = nextTakeover(INITIAL_TAKEOVER, alertsById([]), 0);
    const s2 = nextTakeover(s1, alertsById([alert('w', { severity: 'warning' })]), 1000);
    expect(s2.showing).toBeNull();
    const s3 = nextTakeover(
      s2,
      alertsById([alert('a', { startedAt: 5 }), alert('b', { startedAt: 9 })]),
      2000,
    );
    expect(s3).toMatchObject({ showing: 'b', since: 2000 });
  });

  it('does not take over for an alert that started long ago (replayed after a restart)', () => {
    const s1 = nextTakeover(INITIAL_TAKEOVER, alertsById([]), 0);
    const old = alert('old', { startedAt: 100_000 });
    expect(nextTakeover(s1, alertsById([old]), 200_000).showing).toBeNull();
    expect(nextTakeover(s1, alertsById([old]), 110_000).showing).toBe('old');
  });

  it('ends on acknowledgement, resolution, removal or after the hold time', () => {
    const s1 = nextTakeover(INITIAL_TAKEOVER, alertsById([]), 0);
    const s2 = nextTakeover(s1, alertsById([alert('a')]), 1000);
    expect(s2.showing).toBe('a');
    const acked = alert('a', { ack: { by: 'alice', at: 2, note: '' } });
    expect(nextTakeover(s2, alertsById([acked]), 2000).showing).toBeNull();
    expect(
      nextTakeover(s2, alertsById([alert('a', { state: 'resolved' })]), 2000).showing,
    ).toBeNull();
    expect(nextTakeover(s2, alertsById([]), 2000).showing).toBeNull();
    expect(nextTakeover(s2, alertsById([alert('a')]), 20_000).showing).toBe('a');
    expect(nextTakeover(s2, alertsById([alert('a')]), 31_000).showing).toBeNull();
  });

  it('is dismissed by hand without forgetting the alert', () => {
    const s1 = nextTakeover(INITIAL_TAKEOVER, alertsById([]), 0);
    const s2 = dismissTakeover(nextTakeover(s1, alertsById([alert('a')]), 1000));
    expect(s2.showing).toBeNull();
    expect(nextTakeover(s2, alertsById([alert('a')]), 2000).showing).toBeNull();
  });
});

describe('rotationPaused', () => {
  it('pauses only while a critical alert fires', () => {
    expect(rotationPaused(alertsById([alert('a')]))).toBe(true);
    expect(rotationPaused(alertsById([alert('a', { severity: 'warning' })]))).toBe(false);
    expect(rotationPaused(alertsById([alert('a', { state: 'resolved' })]))).toBe(false);
  });
});
