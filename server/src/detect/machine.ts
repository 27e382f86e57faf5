/** Where one series (rule × subject) stands. `resolved` lasts for the re-fire grace period. */
export type Phase = 'idle' | 'pending' | 'firing' | 'resolved';

export interface SeriesState {
  phase: Phase;
  /** First second of the current alert (ms epoch): part of its id; null while idle. */
  start: number | null;
  /** First second in a row below the clear level while firing, ms epoch. */
  belowSince: number | null;
  /** First second in a row above the threshold while resolved (re-fire), ms epoch. */
  aboveSince: number | null;
  resolvedAt: number | null;
}

/** What happened to the series in one second. */
export type Transition =
  | 'pending' // a new alert, not yet held long enough
  | 'dropped' // a pending alert whose condition ended before `for`: it never was
  | 'firing'
  | 'resolved'
  | 'reopened' // fired again within the grace period: the same alert
  | 'expired'; // the grace period passed: the alert is final, the series idle

export interface MachineRule {
  /** How long the condition must hold before firing, ms. */
  forMs: number;
  /** Clear level as a fraction of the threshold. */
  clearBelow: number;
  /** How long the value must stay below the clear level, ms. */
  clearForMs: number;
  /** How long after resolving a new breach reopens the same alert, ms. */
  graceMs: number;
}

export function idleState(): SeriesState {
  return { phase: 'idle', start: null, belowSince: null, aboveSince: null, resolvedAt: null };
}

/**
 * Advances a series by one second `t` (ms epoch, in order) given its value and the threshold
 * in force (null while a baseline warms up: never a breach, never a clearing). The value must
 * exceed the threshold to breach and fall below `clearBelow × threshold` to clear
 * (hysteresis). Pure: mutates `s` and returns the transition, if any.
 */
export function step(
  s: SeriesState,
  t: number,
  value: number,
  threshold: number | null,
  rule: MachineRule,
): Transition | null {
  const above = threshold !== null && value > threshold;
  const below = threshold !== null && value < threshold * rule.clearBelow;
  // a second counts whole: `for: 10s` is met on the 10th second in a row
  const held = (since: number, ms: number) => t - since + 1000 >= ms;
  switch (s.phase) {
    case 'idle':
      if (!above) return null;
      s.start = t;
      s.belowSince = null;
      if (held(t, rule.forMs)) {
        s.phase = 'firing';
        return 'firing';
      }
      s.phase = 'pending';
      return 'pending';
    case 'pending':
      if (!above) {
        Object.assign(s, idleState());
        return 'dropped';
      }
      if (held(s.start as number, rule.forMs)) {
        s.phase = 'firing';
        return 'firing';
      }
      return null;
    case 'firing':
      if (!below) {
        s.belowSince = null;
        return null;
      }
      s.belowSince ??= t;
      if (!held(s.belowSince, rule.clearForMs)) return null;
      s.phase = 'resolved';
      s.resolvedAt = t;
      s.belowSince = null;
      s.aboveSince = null;
      return 'resolved';
    case 'resolved':
      if (above) {
        s.aboveSince ??= t;
        if (!held(s.aboveSince, rule.forMs)) return null;
        s.phase = 'firing';
        s.resolvedAt = null;
        s.aboveSince = null;
        return 'reopened';
      }
      s.aboveSince = null;
      if (t - (s.resolvedAt as number) < rule.graceMs) return null;
      Object.assign(s, idleState());
      return 'expired';
  }
}

/** Whether the series counts as alerting for its baseline (its samples are not normal). */
export function isAlerting(s: SeriesState): boolean {
  return s.phase === 'pending' || s.phase === 'firing' || s.aboveSince !== null;
}
