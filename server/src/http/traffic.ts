import { DIMENSIONS, DRILL_DIMENSIONS, METRICS } from '@surgewatch/shared';
import { z } from 'zod';

const ms = z.coerce.number().int().nonnegative();

/** What `country=` can break a country down by: its pair dimensions and its source addresses. */
export const DRILL_BY = [...DRILL_DIMENSIONS, 'source'] as const;

/**
 * Query of `GET /api/traffic`. Times are ms epoch; `step` is ms. With `country=`, the traffic
 * of that source country only, by one of `DRILL_BY` (the drill-down).
 */
export const trafficQuery = z
  .strictObject({
    by: z.enum([...DIMENSIONS, 'source']).default('country'),
    country: z.string().min(1).max(100).optional(),
    from: ms.optional(),
    to: ms.optional(),
    step: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
    metric: z.enum(METRICS).default('bps'),
    top: z.coerce.number().int().min(1).max(1000).default(10),
  })
  .superRefine((q, ctx) => {
    if (q.country === undefined) {
      if (q.by === 'source')
        ctx.addIssue({ code: 'custom', path: ['by'], message: 'by=source needs country=' });
      return;
    }
    if (!(DRILL_BY as readonly string[]).includes(q.by))
      ctx.addIssue({
        code: 'custom',
        path: ['by'],
        message: `with country=, one of ${DRILL_BY.join(', ')}`,
      });
    if (q.by === 'source' && q.metric !== 'bps')
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: 'source addresses are ranked by bytes: metric=bps only',
      });
  });

export type TrafficQuery = z.infer<typeof trafficQuery>;
export type DrillBy = (typeof DRILL_BY)[number];
