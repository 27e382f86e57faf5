import { z } from 'zod';
import type { AckRequest, SilenceRequest } from './alert.js';

/**
 * The client → server payloads, validated where they arrive (socket.io events and the REST
 * routes): strict, bounded, every problem named. The browser may validate with them too.
 */

/** A silence request: scoped matchers, a bounded duration, a reason. */
export const silenceRequestSchema = z.strictObject({
  matchers: z
    .record(z.string().min(1).max(64), z.string().min(1).max(256))
    .refine((m) => Object.keys(m).length > 0, 'at least one matcher: a silence never mutes all'),
  durationMin: z
    .number()
    .positive()
    .max(60 * 24 * 30),
  reason: z.string().min(1).max(1000),
}) satisfies z.ZodType<SilenceRequest>;

/** An acknowledgement request (alert id or incident id), with an optional note. */
export const ackRequestSchema = z.strictObject({
  id: z.string().min(1).max(512),
  note: z.string().max(1000).optional(),
}) satisfies z.ZodType<AckRequest>;
