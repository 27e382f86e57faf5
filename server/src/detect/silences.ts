import type { Alert, Silence, SilenceRequest } from '@surgewatch/shared';

// the request schemas are part of the wire contract, in shared (a subpath: zod stays out of the
// browser bundle, whose CSP forbids the eval zod probes for)
export { ackRequestSchema, silenceRequestSchema } from '@surgewatch/shared/requests';

/**
 * Whether a silence mutes an alert at `now` (ms epoch). Every matcher must hold; a matcher key
 * is a subject dimension (`country`, `destination`, …), `rule`, `severity`, or a label name.
 */
export function silenceMatches(
  s: Silence,
  a: Pick<Alert, 'rule' | 'severity' | 'subject' | 'labels'>,
  now: number,
): boolean {
  if (now >= s.expiresAt) return false;
  for (const [k, v] of Object.entries(s.matchers)) {
    const actual =
      k === 'rule' ? a.rule : k === 'severity' ? a.severity : (a.subject[k] ?? a.labels?.[k]);
    if (actual !== v) return false;
  }
  return true;
}

/** A silence from a validated request, created by `by` at `now` (ms epoch). */
export function newSilence(req: SilenceRequest, id: string, by: string, now: number): Silence {
  return {
    id,
    matchers: { ...req.matchers },
    durationMin: req.durationMin,
    reason: req.reason,
    createdBy: by,
    createdAt: now,
    expiresAt: now + Math.round(req.durationMin * 60_000),
  };
}
