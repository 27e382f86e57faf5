import { describe, expect, it } from 'vitest';
import {
  idleState,
  isAlerting,
  judgeBreach,
  judgeClear,
  type MachineRule,
  type SeriesState,
  type Transition,
} from './machine.js';

const rule: MachineRule = { forMs: 3000, clearBelow: 0.8, clearForMs: 2000 };

/**
 * Runs values (one per second from t=0, each second complete when judged) through a fresh
 * series as the detector does: breaches judged on the seconds so far, clearing on each final
 * second. Returns the transitions by second.
 */
function run(values: (number | null)[], r = rule, threshold = 100) {
  const s = idleState();
  const out: [number, Transition][] = [];
  values.forEach((v, i) => {
    const th = v === null ? null : threshold;
    const seen = values.slice(0, i + 1).map((x) => x ?? 0);
    const tr =
      judgeBreach(s, 0, seen, th, r, (i + 1) * 1000) ?? judgeClear(s, i * 1000, v ?? 0, th, r);
    if (tr) out.push([i, tr]);
  });
  return { s, out };
}

describe('alert state machine', () => {
  it('goes pending on the first breach and fires once it held for `for`', () => {
    const { s, out } = run([0, 150, 150, 150, 150]);
    expect(out).toEqual([
      [1, 'pending'],
      [3, 'firing'],
    ]);
    expect(s.start).toBe(1000);
  });

  it('fires at once with for: 0 or 1s', () => {
    expect(run([150], { ...rule, forMs: 0 }).out).toEqual([[0, 'firing']]);
    expect(run([150], { ...rule, forMs: 1000 }).out).toEqual([[0, 'firing']]);
  });

  it('drops a pending alert whose condition ends before `for`', () => {
    expect(run([150, 150, 0, 0]).out).toEqual([
      [0, 'pending'],
      [2, 'dropped'],
    ]);
  });

  it('keeps firing between the clear level and the threshold (hysteresis)', () => {
    const { out } = run([150, 150, 150, 90, 90, 90, 90]);
    expect(out).toEqual([
      [0, 'pending'],
      [2, 'firing'],
    ]);
  });

  it('resolves only after clearFor below the clear level; a bounce resets the count', () => {
    const { out } = run([150, 150, 150, 10, 90, 10, 10, 10]);
    expect(out.at(-1)).toEqual([6, 'resolved']);
  });

  it('a breach after resolving starts from idle: a new episode, held for `for` again', () => {
    const { out, s } = run([150, 150, 150, 10, 10, 150, 150, 150]);
    expect(out).toEqual([
      [0, 'pending'],
      [2, 'firing'],
      [4, 'resolved'],
      [5, 'pending'],
      [7, 'firing'],
    ]);
    expect(s.start).toBe(5000);
  });

  it('a warming baseline (no threshold) neither breaches nor clears', () => {
    expect(run([null, null, null]).out).toEqual([]);
    const s: SeriesState = { phase: 'firing', start: 0, belowSince: null, after: -Infinity };
    expect(judgeClear(s, 5000, 0, null, rule)).toBeNull();
    expect(s.phase).toBe('firing');
  });

  it('a second not final yet never resets a pending alert: late flows may still lift it', () => {
    const s = idleState();
    // seconds 0..2 read now: 150, 150, then 40 of the third's flows so far; final before 2 s
    expect(judgeBreach(s, 0, [150, 150, 40], 100, rule, 2000)).toBe('pending');
    expect(s.start).toBe(0);
    expect(judgeBreach(s, 0, [150, 150, 40], 100, rule, 2000)).toBeNull();
    // its late flows arrive: the run held for 3 s
    expect(judgeBreach(s, 0, [150, 150, 130], 100, rule, 3000)).toBe('firing');
    expect(s.start).toBe(0);
    // the same seconds, final as they were: dropped
    const t = idleState();
    judgeBreach(t, 0, [150, 150], 100, rule, 2000);
    expect(judgeBreach(t, 0, [150, 150, 40], 100, rule, 3000)).toBe('dropped');
    expect(t.phase).toBe('idle');
  });

  it('fires on a run that late flows completed in the past, from its first second', () => {
    // a 60-s active timeout: seconds 10..69 receive an attack's flows at second 70
    const values = Array.from({ length: 71 }, (_, i) => (i >= 10 && i < 70 ? 500 : 20));
    const s = idleState();
    expect(judgeBreach(s, 0, values, 100, rule, 0)).toBe('firing');
    expect(s.start).toBe(10_000);
  });

  it('a pending alert whose start moves earlier is another alert', () => {
    const s = idleState();
    expect(judgeBreach(s, 0, [0, 0, 150], 100, rule, 0)).toBe('pending');
    expect(judgeBreach(s, 0, [0, 150, 150], 100, rule, 0)).toBe('dropped');
    expect(s).toMatchObject({ phase: 'pending', start: 1000 });
  });

  it('counts pending and firing as alerting', () => {
    expect(isAlerting(idleState())).toBe(false);
    expect(isAlerting({ phase: 'pending', start: 0, belowSince: null, after: 0 })).toBe(true);
    expect(isAlerting({ phase: 'firing', start: 0, belowSince: 1000, after: 0 })).toBe(true);
  });
});
