import { describe, expect, it } from 'vitest';
import { idleState, isAlerting, step, type MachineRule, type Transition } from './machine.js';

const rule: MachineRule = { forMs: 3000, clearBelow: 0.8, clearForMs: 2000, graceMs: 10_000 };

/** Runs values (one per second from t=0) through a fresh series; returns the transitions by second. */
function run(values: (number | null)[], r = rule, threshold = 100) {
  const s = idleState();
  const out: [number, Transition][] = [];
  values.forEach((v, i) => {
    const tr = step(s, i * 1000, v ?? 0, v === null ? null : threshold, r);
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

  it('fires at once with for: 0', () => {
    expect(run([150], { ...rule, forMs: 0 }).out).toEqual([[0, 'firing']]);
  });

  it('drops a pending alert whose condition ends before `for`', () => {
    const { s, out } = run([150, 150, 50]);
    expect(out).toEqual([
      [0, 'pending'],
      [2, 'dropped'],
    ]);
    expect(s.phase).toBe('idle');
  });

  it('keeps firing between the clear level and the threshold (hysteresis)', () => {
    const { s, out } = run([150, 150, 150, 90, 85, 95, 81, 90]);
    expect(out.map((o) => o[1])).toEqual(['pending', 'firing']);
    expect(s.phase).toBe('firing');
  });

  it('resolves only after clearFor below the clear level; a bounce resets the count', () => {
    const { out } = run([150, 150, 150, 70, 90, 70, 70]);
    expect(out).toEqual([
      [0, 'pending'],
      [2, 'firing'],
      [6, 'resolved'],
    ]);
  });

  it('flapping around the threshold makes one alert, not many', () => {
    const values = [150, 150, 150];
    for (let i = 0; i < 20; i++) values.push(i % 2 ? 110 : 95);
    const { out } = run(values);
    expect(out.map((o) => o[1])).toEqual(['pending', 'firing']);
  });

  it('reopens the same alert when it breaches again within the grace period', () => {
    const { s, out } = run([150, 150, 150, 10, 10, 150, 150, 150]);
    expect(out.map((o) => o[1])).toEqual(['pending', 'firing', 'resolved', 'reopened']);
    expect(s.start).toBe(0);
    expect(s.phase).toBe('firing');
  });

  it('expires after the grace period, and a later breach is a new alert', () => {
    const values = [150, 150, 150, 10, 10, ...new Array<number>(10).fill(10), 150];
    const { s, out } = run(values);
    expect(out.map((o) => o[1])).toEqual(['pending', 'firing', 'resolved', 'expired', 'pending']);
    expect(s.start).toBe(15_000);
  });

  it('a warming baseline (no threshold) neither breaches nor clears', () => {
    const s = idleState();
    expect(step(s, 0, 1e9, null, rule)).toBeNull();
    s.phase = 'firing';
    s.start = 0;
    expect(step(s, 1000, 0, null, rule)).toBeNull();
    expect(step(s, 2000, 0, null, rule)).toBeNull();
    expect(step(s, 3000, 0, null, rule)).toBeNull();
    expect(s.phase).toBe('firing');
  });

  it('counts pending, firing and a re-fire in progress as alerting', () => {
    const s = idleState();
    expect(isAlerting(s)).toBe(false);
    step(s, 0, 150, 100, rule);
    expect(isAlerting(s)).toBe(true);
  });
});
