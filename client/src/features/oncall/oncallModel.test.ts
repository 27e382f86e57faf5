import { describe, expect, it } from 'vitest';
import { testAlert } from '../../notify/testAlert.js';
import {
  actionErrorText,
  alertIdFromHash,
  contributorRows,
  drillLinks,
  durationLabel,
  incidentWaves,
  onCallSections,
  silenceMatchers,
  topContributors,
  waveTitle,
} from './oncallModel.js';

const MIN = 60_000;

const itemIds = (items: ReturnType<typeof onCallSections>[number]['items']) =>
  items.map((i) =>
    i.type === 'incident' ? `${i.id}:${i.alerts.map((a) => a.id).join('+')}` : i.alert.id,
  );

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

  it('puts firing criticals first, then unacknowledged, then the newest', () => {
    const sections = onCallSections([
      testAlert({ id: 'warn-new', severity: 'warning', startedAt: 50 }),
      testAlert({ id: 'crit-old', startedAt: 10 }),
      testAlert({ id: 'crit-acked', startedAt: 40, ack: { by: 'a', at: 41, note: '' } }),
      testAlert({ id: 'info', severity: 'info', startedAt: 60 }),
      testAlert({ id: 'crit-new', startedAt: 30 }),
      testAlert({ id: 'inc-warn', severity: 'warning', startedAt: 70, incidentId: 'w' }),
      testAlert({ id: 'inc-crit', startedAt: 20, incidentId: 'w' }),
    ]);
    // an incident ranks by its most urgent alert: critical, started at 20
    expect(itemIds(sections[0]!.items)).toEqual([
      'crit-new',
      'w:inc-crit+inc-warn',
      'crit-old',
      'crit-acked',
      'warn-new',
      'info',
    ]);
  });

  it("keeps an incident's resolved first wave with its firing second one, in the firing section", () => {
    const w1 = testAlert({
      id: 'w1',
      state: 'resolved',
      startedAt: 0,
      resolvedAt: 4 * MIN,
      incidentId: 'inc',
      ack: { by: 'a', at: 1, note: '' },
    });
    const w2 = testAlert({
      id: 'w2',
      startedAt: 13 * MIN,
      incidentId: 'inc',
      episode: { n: 2, previousId: 'w1', previousStartedAt: 0, previousResolvedAt: 4 * MIN },
    });
    const other = testAlert({ id: 'r', state: 'resolved', startedAt: 1, resolvedAt: 2 });
    const sections = onCallSections([w1, w2, other]);
    expect(sections.map((s) => [s.state, s.count, itemIds(s.items)])).toEqual([
      ['firing', 1, ['inc:w2+w1']],
      ['pending', 0, []],
      ['resolved', 2, ['r']],
    ]);
    const item = sections[0]!.items[0]!;
    expect(item.type === 'incident' && item.startedAt).toBe(13 * MIN);
  });
});

describe('incidentWaves', () => {
  it('splits an incident where none of its alerts fired, newest wave first, with labels', () => {
    const ep = (n: number, end: number | null) => ({
      n,
      previousId: n > 1 ? 'p' : null,
      previousStartedAt: n > 1 ? 0 : null,
      previousResolvedAt: end,
    });
    const waves = incidentWaves([
      // wave 1: two overlapping alerts, over at 6 min
      testAlert({ id: 'a1', state: 'resolved', startedAt: 0, resolvedAt: 5 * MIN }),
      testAlert({
        id: 'b1',
        severity: 'warning',
        state: 'resolved',
        startedAt: 4 * MIN,
        resolvedAt: 6 * MIN,
      }),
      // wave 2 at 15 min: the same series again, and one that never fired before
      testAlert({ id: 'a2', startedAt: 15 * MIN, episode: ep(2, 5 * MIN) }),
      testAlert({ id: 'c1', severity: 'warning', startedAt: 16 * MIN, episode: ep(1, null) }),
    ]);
    expect(
      waves.map((w) => [w.n, w.label, w.alerts.map((a) => a.id), w.startedAt, w.endedAt]),
    ).toEqual([
      [2, 'second wave, 9 min after the first', ['a2', 'c1'], 15 * MIN, null],
      [1, null, ['a1', 'b1'], 0, 6 * MIN],
    ]);
    expect(waves.map(waveTitle)).toEqual(['Second wave, 9 min after the first', 'First wave']);
  });

  it("numbers waves within the incident, whatever a series' own count", () => {
    // the canvass tool was hit before, in another incident: its card says so, the incident
    // counts its own waves
    const waves = incidentWaves([
      testAlert({
        id: 'x3',
        startedAt: 60 * MIN,
        episode: { n: 3, previousId: 'x2', previousStartedAt: 0, previousResolvedAt: 40 * MIN },
      }),
      testAlert({ id: 'y', severity: 'warning', startedAt: 61 * MIN }),
    ]);
    expect(waves.map((w) => [w.n, w.label])).toEqual([[1, null]]);
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
    // the server's share is of the whole subject, not of the listed ones
    expect(topContributors([{ key: 'a', name: '', bps: 1, share: 0.1 }], 1)[0]!.share).toBe(0.1);
  });

  it('lists sources as guaranteed lower bounds and vectors by name', () => {
    expect(
      contributorRows(
        [
          { key: '192.0.2.7', name: '', bps: 1.2e6, bpsMax: 1.45e6, share: 0.02 },
          { key: '192.0.2.8', name: '', bps: 2e6, bpsMax: 2e6, share: 0.04 },
        ],
        3,
        {},
      ),
    ).toEqual([
      { key: '192.0.2.8', label: '192.0.2.8', rate: '2.00 Mb/s', share: 0.04, title: '' },
      {
        key: '192.0.2.7',
        label: '192.0.2.7',
        rate: '≥ 1.20 Mb/s',
        share: 0.02,
        title: 'between 1.20 Mb/s and 1.45 Mb/s',
      },
    ]);
    expect(
      contributorRows(
        [
          { key: 'tcp-syn', name: 'tcp-syn', bps: 1e9, share: 0.5 },
          { key: 'AS3216', name: 'AS3216 PJSC Vimpelcom', bps: 1e8 },
          { key: 'RU', name: '', bps: 1e7 },
        ],
        3,
        { RU: 'Russia' },
      ).map((r) => r.label),
    ).toEqual(['TCP SYN', 'AS3216 PJSC Vimpelcom', 'RU Russia']);
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
