import type { Alert } from '@surgewatch/shared';
import { describe, expect, it } from 'vitest';
import { alertsById } from '../../store/alerts.js';
import { alertRows, descriptionDetail, formatMetric, formatSubject } from './alertRows.js';

const MIN = 60_000;

function alert(id: string, over: Partial<Alert> = {}): Alert {
  return {
    id,
    rule: 'country-bps',
    severity: 'warning',
    state: 'firing',
    subject: { country: 'RU' },
    description: `alert ${id}`,
    metric: 'bps',
    threshold: 1e9,
    value: 2e9,
    peak: 3e9,
    startedAt: 0,
    updatedAt: 0,
    resolvedAt: null,
    ack: null,
    ...over,
  };
}

describe('formatSubject', () => {
  it('names countries and vectors and keeps a fixed dimension order', () => {
    expect(formatSubject({ vector: 'udp-amp-dns', country: 'RU' }, { RU: 'Russia' })).toBe(
      'RU Russia · UDP reflection: DNS (53)',
    );
    expect(formatSubject({ vector: 'tcp-synack' }, {})).toBe('TCP SYN-ACK reflection');
    expect(formatSubject({ vector: 'not-a-vector' }, {})).toBe('not-a-vector');
    expect(formatSubject({ destination: '203.0.113.10' }, {})).toBe('203.0.113.10');
    expect(formatSubject({}, {})).toBe('all traffic');
  });
});

describe('descriptionDetail', () => {
  it('drops the subject label the description starts with, and only that', () => {
    expect(descriptionDetail('destination 203.0.113.10: a packet flood toward this address')).toBe(
      'a packet flood toward this address',
    );
    expect(descriptionDetail('All traffic: more than 1 Mpps: a packet flood')).toBe(
      'more than 1 Mpps: a packet flood',
    );
    expect(descriptionDetail('no label here')).toBe('no label here');
  });
});

describe('formatMetric', () => {
  it('gives the peak its unit', () => {
    expect(formatMetric('bps', 3e9)).toBe('3.00 Gb/s');
    expect(formatMetric('pps', 2e6)).toMatch(/Mpps/);
    expect(formatMetric('sources', 1200)).toBe('1.20k');
  });
});

describe('alertRows', () => {
  it('lists firing (critical, unacknowledged first), then pending, then recently resolved', () => {
    const now = 40 * MIN;
    const rows = alertRows(
      alertsById([
        alert('old', { state: 'resolved', resolvedAt: 1 * MIN }),
        alert('res', { state: 'resolved', startedAt: 20 * MIN, resolvedAt: 25 * MIN }),
        alert('pend', { state: 'pending' }),
        alert('ackd', { severity: 'critical', ack: { by: 'alice', at: 5, note: '' } }),
        alert('warn', { startedAt: 35 * MIN }),
        alert('crit', { severity: 'critical', startedAt: 30 * MIN }),
      ]),
      now,
      { RU: 'Russia' },
    );
    expect(rows.map((r) => r.id)).toEqual(['crit', 'ackd', 'warn', 'pend', 'res']);
    expect(rows[0]).toMatchObject({
      subject: 'RU Russia',
      duration: '10 min 00 s',
      peak: '3.00 Gb/s',
      ackBy: null,
    });
    expect(rows[1]!.ackBy).toBe('alice');
    expect(rows[4]!.duration).toBe('5 min 00 s');
  });

  it('times a second wave from its own start and says which wave it is', () => {
    const wave2 = alert('w2', {
      startedAt: 30 * MIN,
      episode: {
        n: 2,
        previousId: 'w1',
        previousStartedAt: 10 * MIN,
        previousResolvedAt: 21 * MIN,
      },
    });
    const wave1 = alert('w1', { state: 'resolved', startedAt: 10 * MIN, resolvedAt: 21 * MIN });
    const rows = alertRows(alertsById([wave1, wave2]), 32 * MIN, {});
    expect(rows.map((r) => [r.id, r.duration, r.wave])).toEqual([
      ['w2', '2 min 00 s', 'second wave, 9 min after the first'],
      ['w1', '11 min 00 s', null],
    ]);
  });

  it('keeps at most `max` rows', () => {
    const many = alertsById(Array.from({ length: 12 }, (_, i) => alert(`a${i}`)));
    expect(alertRows(many, 0, {}, { max: 5 })).toHaveLength(5);
  });
});
