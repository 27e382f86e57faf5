import { DIMENSIONS, METRICS } from '@surgewatch/shared';
import { z } from 'zod';

const ms = z.coerce.number().int().nonnegative();

/** Query of `GET /api/traffic`. Times are ms epoch; `step` is ms. */
export const trafficQuery = z.strictObject({
  by: z.enum(DIMENSIONS).default('country'),
  from: ms.optional(),
  to: ms.optional(),
  step: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  metric: z.enum(METRICS).default('bps'),
  top: z.coerce.number().int().min(1).max(1000).default(10),
});

export type TrafficQuery = z.infer<typeof trafficQuery>;
