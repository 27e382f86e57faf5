import type { Alert, Silence, SilenceRequest } from '@surgewatch/shared';
import { z } from 'zod';

/** A silence request from a browser or the REST API, validated at the edge. */
export const silenceRequestSchema = z.strictObject({
  matchers: z
    .record(z.string().min(1).max(64), z.string().min(1).max(256))
    .refine((m) => Object.keys(m).length > 0, 'at least one matcher: a silence never mutes all'),
  durationMin: z
    .number()
    .positive()
    .max(60 * 24 * 30),
  reason: z.string().min(1).max(1000),
});

/** An acknowledgement request (alert id or incident id). */
export const ackRequestSchema = z.strictObject({
  id: z.string().min(1).max(512),
  note: z.string().max(1000).optional(),
});

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
