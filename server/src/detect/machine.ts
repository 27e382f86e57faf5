/** Where one series (rule × subject) stands. */
export type Phase = 'idle' | 'pending' | 'firing';

export interface SeriesState {
  phase: Phase;
  /** First second of the current alert (ms epoch): part of its id; null while idle. */
  start: number | null;
  /** First final second in a row below the clear level while firing, ms epoch. */
  belowSince: number | null;
  /** Seconds before this (ms epoch) belong to an episode that ended: never judged again. */
  after: number;
}

/** What happened to the series. */
export type Transition =
  | 'pending' // a new alert, not yet held long enough
  | 'dropped' // a pending alert whose condition ended before `for`: it never was
  | 'firing'
  | 'resolved';

export interface MachineRule {
  /** How long the condition must hold before firing, ms. */
  forMs: number;
  /** Clear level as a fraction of the threshold. */
  clearBelow: number;
  /** How long the value must stay below the clear level, ms. */
  clearForMs: number;
}

export function idleState(): SeriesState {
  return { phase: 'idle', start: null, belowSince: null, after: -Infinity };
}

/**
 * Judges a series that is not firing from `values`: its metric per second from `from` (ms
 * epoch) up to the newest second evaluated, read now. Late flows only ever add to a second,
 * so a second above the threshold stays above, while one below may still rise until it is
 * final (before `finalBefore`, ms epoch). The series fires on the first run of seconds above
 * the threshold that lasts `forMs` (a second counts whole: `for: 3s` is met on the third
 * second), starting the alert at the run's first second; it is pending while the newest
 * seconds, back to one above the threshold, are above or not final yet; a pending alert is
 * dropped only once a final second after its start is not above. A half-filled second thus
 * never resets a rule, and fires one only when what has arrived of it already exceeds the
 * threshold. `threshold` null (a baseline still warming up) never breaches. Pure: mutates
 * `s` and returns the transition, if any; a pending alert whose start moved (late flows
 * lifted an earlier second) returns 'dropped' and is pending again from its new start.
 */
export function judgeBreach(
  s: SeriesState,
  from: number,
  values: readonly number[],
  threshold: number | null,
  rule: MachineRule,
  finalBefore: number,
): Transition | null {
  if (s.phase === 'firing') return null;
  let firstAbove: number | null = null;
  if (threshold !== null) {
    let runStart: number | null = null;
    const need = Math.max(rule.forMs, 1000);
    for (let i = 0; i < values.length; i++) {
      const t = from + i * 1000;
      if (t >= s.after && (values[i] as number) > threshold) {
        runStart ??= t;
        if (t - runStart + 1000 >= need) {
          s.phase = 'firing';
          s.start = runStart;
          s.belowSince = null;
          return 'firing';
        }
      } else runStart = null;
    }
    // the open run: back from the newest second while seconds are above or not final yet
    for (let i = values.length - 1; i >= 0; i--) {
      const t = from + i * 1000;
      if (t < s.after) break;
      const above = (values[i] as number) > threshold;
      if (!above && t < finalBefore) break;
      if (above) firstAbove = t;
    }
  }
  if (firstAbove === null) {
    if (s.phase !== 'pending') return null;
    Object.assign(s, idleState(), { after: s.after });
    return 'dropped';
  }
  if (s.phase === 'pending' && s.start === firstAbove) return null;
  const was = s.phase;
  s.phase = 'pending';
  s.start = firstAbove;
  return was === 'pending' ? 'dropped' : 'pending';
}

/**
 * Judges a firing series on one final second `t` (ms epoch, in order): it resolves once its
 * value has stayed below `clearBelow × threshold` for `clearForMs` (hysteresis); a second at
 * or above the clear level starts the count again. `threshold` null neither clears nor
 * resets. Pure: mutates `s`.
 */
export function judgeClear(
  s: SeriesState,
  t: number,
  value: number,
  threshold: number | null,
  rule: MachineRule,
): Transition | null {
  if (s.phase !== 'firing' || threshold === null) return null;
  // seconds before the alert began (final only now) say nothing about its end
  if (s.start !== null && t < s.start) return null;
  if (value >= threshold * rule.clearBelow) {
    s.belowSince = null;
    return null;
  }
  s.belowSince ??= t;
  if (t - s.belowSince + 1000 < rule.clearForMs) return null;
  Object.assign(s, idleState(), { after: t + 1000 });
  return 'resolved';
}

/** Whether the series counts as alerting for its baseline (its samples are not normal). */
export function isAlerting(s: SeriesState): boolean {
  return s.phase === 'pending' || s.phase === 'firing';
}
