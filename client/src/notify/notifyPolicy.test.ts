import { describe, expect, it } from 'vitest';
import type { Alert } from '@surgewatch/shared';
import type { NotifyRecord } from './notifyPolicy.js';
import {
  RECORD_MAX,
  RECORD_MAX_AGE_MS,
  dueNotifications,
  episodeKey,
  firedAt,
  markNotified,
  parseRecord,
  planNotifications,
  pruneRecord,
} from './notifyPolicy.js';
import { DEFAULT_PREFS } from './prefs.js';
import { testAlert } from './testAlert.js';

const prefs = { ...DEFAULT_PREFS, minSeverity: 'warning' as const, renotifyMin: 5 };

describe('dueNotifications', () => {
  it('notifies a new firing alert once, then not again', () => {
    const a = testAlert();
    const due = dueNotifications([a], {}, prefs, 10_000);
    expect(due).toEqual([
      { alert: a, key: episodeKey(a), keys: [episodeKey(a)], reminder: false, others: 0 },
    ]);
    const record = markNotified({}, due, 10_000);
    expect(dueNotifications([a], record, prefs, 11_000)).toEqual([]);
  });

  it('skips pending, resolved, acknowledged, silenced and too-low alerts', () => {
    const alerts = [
      testAlert({ id: 'p', state: 'pending' }),
      testAlert({ id: 'r', state: 'resolved' }),
      testAlert({ id: 'a', ack: { by: 'x', at: 1, note: '' } }),
      testAlert({ id: 's', silencedBy: 'sil-1' }),
      testAlert({ id: 'i', severity: 'info' }),
    ];
    expect(dueNotifications(alerts, {}, prefs, 10_000)).toEqual([]);
    expect(
      dueNotifications(alerts, {}, { ...prefs, minSeverity: 'info' }, 10_000).map(
        (d) => d.alert.id,
      ),
    ).toEqual(['i']);
    expect(
      dueNotifications(
        [testAlert({ severity: 'warning' })],
        {},
        { ...prefs, minSeverity: 'critical' },
        0,
      ),
    ).toEqual([]);
  });

  it('reminds about an unacknowledged critical alert every renotifyMin minutes', () => {
    const a = testAlert();
    const record = markNotified({}, dueNotifications([a], {}, prefs, 0), 0);
    expect(dueNotifications([a], record, prefs, 5 * 60_000 - 1)).toEqual([]);
    const again = dueNotifications([a], record, prefs, 5 * 60_000);
    expect(again).toEqual([
      { alert: a, key: episodeKey(a), keys: [episodeKey(a)], reminder: true, others: 0 },
    ]);
    const after = markNotified(record, again, 5 * 60_000);
    expect(after[episodeKey(a)]).toEqual({ at: 5 * 60_000, count: 2 });
    expect(dueNotifications([a], after, prefs, 6 * 60_000)).toEqual([]);
    // never with 0, never for warnings
    expect(dueNotifications([a], record, { ...prefs, renotifyMin: 0 }, 3_600_000)).toEqual([]);
    const w = testAlert({ id: 'w', severity: 'warning' });
    const wr = markNotified({}, dueNotifications([w], {}, prefs, 0), 0);
    expect(dueNotifications([w], wr, prefs, 3_600_000)).toEqual([]);
  });

  it('treats a re-fire of the same alert id as a new firing', () => {
    const a = testAlert();
    const record = markNotified({}, dueNotifications([a], {}, prefs, 0), 0);
    const reopened = testAlert({
      history: [...(a.history ?? []), { at: 90_000, event: 'reopened', value: 1 }],
    });
    expect(firedAt(reopened)).toBe(90_000);
    expect(dueNotifications([reopened], record, prefs, 91_000)).toHaveLength(1);
  });

  it('orders most severe first, then newest', () => {
    const due = dueNotifications(
      [
        testAlert({ id: 'w-old', severity: 'warning', startedAt: 1 }),
        testAlert({ id: 'c', startedAt: 2 }),
        testAlert({ id: 'w-new', severity: 'warning', startedAt: 3 }),
      ],
      {},
      prefs,
      0,
    );
    expect(due.map((d) => d.alert.id)).toEqual(['c', 'w-new', 'w-old']);
  });
});

describe('one notification per wave of an incident', () => {
  const MIN = 60_000;
  /** A target alert of incident `inc` (wave 1 by default), firing since `at`. */
  const target = (id: string, at: number, over: Partial<Alert> = {}) =>
    testAlert({
      id,
      subject: { destination: '203.0.113.10' },
      incidentId: 'inc',
      startedAt: at,
      history: [{ at, event: 'firing', value: 1 }],
      ...over,
    });
  /** One check as the notifier makes it: the plan, and the record after it. */
  const check = (alerts: Alert[], record: NotifyRecord, now: number) => {
    const plan = planNotifications(alerts, record, prefs, now);
    return { ...plan, record: markNotified(record, plan.due, now, plan.joined) };
  };

  it('notifies an incident once for all the alerts of its wave, about the most severe', () => {
    const pkt = target('pkt', 1_000);
    const vol = target('vol', 2_000);
    const vec = target('vec', 3_000, { severity: 'warning' });
    const first = check([pkt, vol, vec], {}, 5_000);
    expect(first.due.map((d) => [d.alert.id, d.others, d.reminder])).toEqual([['vol', 2, false]]);
    expect(Object.keys(first.record).sort()).toEqual(
      [pkt, vol, vec].map((a) => episodeKey(a)).sort(),
    );
    // an alert joining the wave a moment later is taken note of, without a notification
    const flow = target('flow', 6_000);
    const later = check([pkt, vol, vec, flow], first.record, 7_000);
    expect(later.due).toEqual([]);
    expect(later.joined).toEqual([{ key: episodeKey(flow), at: 5_000 }]);
    // … so it does not notify once the alert first told about has resolved
    const rest = [pkt, { ...vol, state: 'resolved' as const }, vec, flow];
    expect(check(rest, later.record, 60_000).due).toEqual([]);
    // a reload or a server restart brings the same ids and history: nothing new
    expect(check([pkt, vol, vec, flow], parseRecord(JSON.stringify(later.record)), 8_000)).toEqual({
      due: [],
      joined: [],
      record: later.record,
    });
  });

  it('notifies again when a more severe alert joins a wave told about', () => {
    const warn = target('warn', 1_000, { severity: 'warning' });
    const told = check([warn], {}, 2_000).record;
    const crit = target('crit', 3_000);
    expect(check([warn, crit], told, 4_000).due.map((d) => d.alert.id)).toEqual(['crit']);
  });

  it('notifies a second wave of the same incident again, and reminds per wave', () => {
    const wave1 = target('w1', 0);
    const told = check([wave1], {}, 1_000).record;
    const over = { ...wave1, state: 'resolved' as const, resolvedAt: 4 * MIN };
    const wave2 = target('w2', 13 * MIN, {
      episode: { n: 2, previousId: 'w1', previousStartedAt: 0, previousResolvedAt: 4 * MIN },
    });
    const second = check([over, wave2], told, 13 * MIN + 2_000);
    expect(second.due.map((d) => [d.alert.id, d.reminder])).toEqual([['w2', false]]);
    expect(check([over, wave2], second.record, 14 * MIN).due).toEqual([]);
    // still not acknowledged renotifyMin (5) minutes on: one reminder for the wave
    const reminder = check([over, wave2], second.record, 18 * MIN + 2_000);
    expect(reminder.due.map((d) => [d.alert.id, d.reminder])).toEqual([['w2', true]]);
  });

  it('keeps alerts of different incidents, or of none, apart', () => {
    const a = testAlert({ id: 'a', incidentId: 'x' });
    const b = testAlert({ id: 'b', incidentId: 'y' });
    const c = testAlert({ id: 'c', incidentId: null });
    expect(
      check([a, b, c], {}, 5_000)
        .due.map((d) => d.alert.id)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
  });
});

describe('the notified record', () => {
  it('drops entries older than a day and keeps the newest RECORD_MAX', () => {
    const now = RECORD_MAX_AGE_MS * 2;
    const old = {
      old: { at: now - RECORD_MAX_AGE_MS, count: 1 },
      fresh: { at: now - 1, count: 1 },
    };
    expect(Object.keys(pruneRecord(old, now))).toEqual(['fresh']);
    const many = Object.fromEntries(
      Array.from({ length: RECORD_MAX + 10 }, (_, i) => [`k${i}`, { at: now - i, count: 1 }]),
    );
    const pruned = pruneRecord(many, now);
    expect(Object.keys(pruned)).toHaveLength(RECORD_MAX);
    expect(pruned.k0).toBeDefined();
    expect(pruned[`k${RECORD_MAX + 5}`]).toBeUndefined();
  });

  it('parses stored text, ignoring junk', () => {
    expect(parseRecord(null)).toEqual({});
    expect(parseRecord('not json')).toEqual({});
    expect(parseRecord('[1]')).toEqual({});
    expect(parseRecord('{"a":{"at":1,"count":2},"b":{"at":"x"},"c":null}')).toEqual({
      a: { at: 1, count: 2 },
    });
  });
});
