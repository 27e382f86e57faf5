import { describe, expect, it } from 'vitest';
import {
  RECORD_MAX,
  RECORD_MAX_AGE_MS,
  dueNotifications,
  episodeKey,
  firedAt,
  markNotified,
  parseRecord,
  pruneRecord,
} from './notifyPolicy.js';
import { DEFAULT_PREFS } from './prefs.js';
import { testAlert } from './testAlert.js';

const prefs = { ...DEFAULT_PREFS, minSeverity: 'warning' as const, renotifyMin: 5 };

describe('dueNotifications', () => {
  it('notifies a new firing alert once, then not again', () => {
    const a = testAlert();
    const due = dueNotifications([a], {}, prefs, 10_000);
    expect(due).toEqual([{ alert: a, key: episodeKey(a), reminder: false }]);
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
    expect(again).toEqual([{ alert: a, key: episodeKey(a), reminder: true }]);
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
