import type { Alert } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { alertsById } from '../../store/alerts.js';
import {
  dismissTakeover,
  INITIAL_TAKEOVER,
  nextTakeover,
  rotationPaused,
  takeoverView,
} from './takeover.js';

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

  it('prefers an alert on a target, and keeps a target on screen for a newer total', () => {
    const s1 = nextTakeover(INITIAL_TAKEOVER, alertsById([]), 0);
    const total = alert('total', { subject: {}, startedAt: 9 });
    const target = alert('target', { subject: { destination: '203.0.113.10' }, startedAt: 5 });
    const s2 = nextTakeover(s1, alertsById([total, target]), 1000);
    expect(s2).toMatchObject({ showing: 'target', since: 1000 });
    const later = alert('later', { subject: {}, startedAt: 1500 });
    expect(nextTakeover(s2, alertsById([total, target, later]), 2000)).toMatchObject({
      showing: 'target',
      since: 1000,
    });
    // a total first, then a target: the target takes the screen
    const s3 = nextTakeover(s1, alertsById([total]), 1000);
    expect(s3.showing).toBe('total');
    expect(nextTakeover(s3, alertsById([total, target]), 2000)).toMatchObject({
      showing: 'target',
      since: 2000,
    });
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

  it('takes over again for a second wave: a new alert with its own start', () => {
    const wave1 = alert('w1', { startedAt: 100_000 });
    const s1 = nextTakeover(INITIAL_TAKEOVER, alertsById([]), 90_000);
    const s2 = nextTakeover(s1, alertsById([wave1]), 101_000);
    expect(s2.showing).toBe('w1');
    const over = alert('w1', { state: 'resolved', startedAt: 100_000, resolvedAt: 200_000 });
    const s3 = nextTakeover(s2, alertsById([over]), 200_000);
    expect(s3.showing).toBeNull();
    const wave2 = alert('w2', {
      startedAt: 740_000,
      episode: { n: 2, previousId: 'w1', previousStartedAt: 100_000, previousResolvedAt: 200_000 },
    });
    // 60 min after the first wave began: only the second wave's own start counts
    expect(nextTakeover(s3, alertsById([over, wave2]), 745_000)).toMatchObject({
      showing: 'w2',
      since: 745_000,
    });
  });

  it('counts from when an alert began firing, not from its pending start', () => {
    const s1 = nextTakeover(INITIAL_TAKEOVER, alertsById([]), 0);
    const slow = alert('slow', {
      startedAt: 10_000,
      history: [
        { at: 10_000, event: 'pending', value: 2 },
        { at: 70_000, event: 'firing', value: 2 },
      ],
    });
    expect(nextTakeover(s1, alertsById([slow]), 71_000).showing).toBe('slow');
  });

  it('is dismissed by hand without forgetting the alert', () => {
    const s1 = nextTakeover(INITIAL_TAKEOVER, alertsById([]), 0);
    const s2 = dismissTakeover(nextTakeover(s1, alertsById([alert('a')]), 1000));
    expect(s2.showing).toBeNull();
    expect(nextTakeover(s2, alertsById([alert('a')]), 2000).showing).toBeNull();
  });
});

describe('takeoverView', () => {
  it('names the target, the wave and the top three vectors with shares', () => {
    const a = alert('t', {
      subject: { destination: '203.0.113.10' },
      description: 'destination 203.0.113.10: a packet flood toward this address',
      startedAt: 1_000_000,
      episode: {
        n: 2,
        previousId: 'p',
        previousStartedAt: 0,
        previousResolvedAt: 1_000_000 - 9 * 60_000,
      },
      explanation: {
        condition: '',
        baseline: null,
        countries: [],
        asns: [],
        sources: [],
        vectors: [
          { key: 'udp-amp-dns', name: '', bps: 3e9, share: 0.3 },
          { key: 'tcp-syn', name: '', bps: 6e9, share: 0.6 },
          { key: 'udp-amp-ike', name: '', bps: 9e8, share: 0.09 },
          { key: 'icmp', name: '', bps: 1e8, share: 0.01 },
        ],
        series: [],
        seriesFrom: 0,
      },
    });
    expect(takeoverView(a, {})).toEqual({
      subject: 'Target 203.0.113.10',
      wave: 'Second wave, 9 min after the first',
      detail: 'A packet flood toward this address',
      vectors: [
        { key: 'tcp-syn', name: 'TCP SYN', share: 0.6, bps: 6e9 },
        { key: 'udp-amp-dns', name: 'UDP reflection: DNS (53)', share: 0.3, bps: 3e9 },
        { key: 'udp-amp-ike', name: 'UDP reflection: IKE (500/4500)', share: 0.09, bps: 9e8 },
      ],
    });
  });

  it('leaves out the wave of a first one and the vectors nobody explained', () => {
    const c = alert('c', { description: 'Traffic from Russia above 5 Gb/s' });
    expect(takeoverView(c, { RU: 'Russia' })).toEqual({
      subject: 'RU Russia',
      wave: null,
      detail: 'Traffic from Russia above 5 Gb/s',
      vectors: [],
    });
  });
});

describe('rotationPaused', () => {
  it('pauses only while a critical alert fires', () => {
    expect(rotationPaused(alertsById([alert('a')]))).toBe(true);
    expect(rotationPaused(alertsById([alert('a', { severity: 'warning' })]))).toBe(false);
    expect(rotationPaused(alertsById([alert('a', { state: 'resolved' })]))).toBe(false);
  });
});
