import { describe, expect, it } from 'vitest';
import { testAlert } from '../../notify/testAlert.js';
import {
  actionErrorText,
  alertIdFromHash,
  drillLinks,
  durationLabel,
  onCallSections,
  silenceMatchers,
  topContributors,
} from './oncallModel.js';

describe('onCallSections', () => {
  it('splits by state, groups incidents, newest first', () => {
    const sections = onCallSections([
      testAlert({ id: 'old', startedAt: 1 }),
      testAlert({ id: 'i1', startedAt: 5, incidentId: 'inc' }),
      testAlert({ id: 'i2', startedAt: 3, incidentId: 'inc' }),
      testAlert({ id: 'lone-incident', startedAt: 4, incidentId: 'solo' }),
      testAlert({ id: 'p', state: 'pending', startedAt: 9 }),
      testAlert({ id: 'r', state: 'resolved', startedAt: 0 }),
    ]);
    expect(sections.map((s) => [s.state, s.count])).toEqual([
      ['firing', 4],
      ['pending', 1],
      ['resolved', 1],
    ]);
    const firing = sections[0]!.items.map((i) =>
      i.type === 'incident' ? `${i.id}:${i.alerts.map((a) => a.id).join('+')}` : i.alert.id,
    );
    expect(firing).toEqual(['inc:i1+i2', 'lone-incident', 'old']);
  });
});

describe('on-call helpers', () => {
  it('links each subject dimension to the wallboard drill-down', () => {
    expect(drillLinks({ country: 'RU', vector: 'udp-amp-dns' })).toEqual([
      { label: 'country RU', href: '/?drill=country%3ARU' },
      { label: 'vector udp-amp-dns', href: '/?drill=vector%3Audp-amp-dns' },
    ]);
    expect(drillLinks({})).toEqual([]);
  });

  it('builds silence matchers from the kept dimensions', () => {
    const subject = { country: 'RU', destination: '203.0.113.10', rule: 'r' };
    expect(silenceMatchers(subject, new Set(['country', 'rule']))).toEqual({
      country: 'RU',
      rule: 'r',
    });
  });

  it('labels durations', () => {
    expect([15, 60, 240, 1440].map(durationLabel)).toEqual(['15 min', '1 h', '4 h', '1 d']);
  });

  it('ranks contributors with their share', () => {
    const top = topContributors(
      [
        { key: 'a', name: '', bps: 1 },
        { key: 'b', name: '', bps: 3 },
      ],
      1,
    );
    expect(top).toEqual([{ key: 'b', name: '', bps: 3, share: 0.75 }]);
  });

  it('reads the alert id from the hash', () => {
    expect(alertIdFromHash('#alert=a%7Cb')).toBe('a|b');
    expect(alertIdFromHash('#other')).toBeNull();
    expect(alertIdFromHash('#alert=%E0%A4%A')).toBeNull();
  });

  it('explains refusals to a person', () => {
    expect(actionErrorText({ code: 'forbidden', message: 'viewer' })).toMatch(/responder role/);
    expect(actionErrorText({ code: 'bad_request', message: 'x' })).toBe('bad_request: x');
  });
});
