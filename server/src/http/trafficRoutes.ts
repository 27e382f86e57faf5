import { OTHER_KEY, type Dimension, type TrafficRange } from '@surgewatch/shared';
import type { FastifyInstance } from 'fastify';
import type { RangeResult } from '../aggregate/index.js';
import { trafficCsv } from './csv.js';
import { sendError } from './guard.js';
import { trafficQuery, type DrillBy, type TrafficQuery } from './traffic.js';

/** A validated traffic query with its time range settled: all traffic, or one country's. */
export type TrafficRequest = Pick<TrafficQuery, 'metric' | 'step' | 'top'> & {
  from: number;
  to: number;
} & ({ country?: undefined; by: Dimension } | { country: string; by: DrillBy });

export interface TrafficDeps {
  now: () => number;
  traffic: (q: TrafficRequest) => RangeResult;
  name: (by: Dimension, key: string) => string;
}

/**
 * `GET /api/traffic?by=&from=&to=&step=&metric=&top=[&country=]`: exact volumes per group
 * and step as JSON, or tidy CSV for `Accept: text/csv`. With `country=`, one source country
 * broken down by its ASNs, targets, services, vectors or source addresses.
 */
export function registerTrafficRoutes(app: FastifyInstance, deps: TrafficDeps): void {
  app.get('/api/traffic', async (req, reply) => {
    const parsed = trafficQuery.safeParse(req.query);
    if (!parsed.success) {
      const msg = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'query'}: ${i.message}`)
        .join('; ');
      return sendError(reply, 400, 'bad_request', msg);
    }
    const q = parsed.data;
    const to = q.to ?? Math.floor(deps.now() / 1000) * 1000;
    const from = q.from ?? to - 15 * 60_000;
    if (from >= to) return sendError(reply, 400, 'bad_request', 'from must be before to');
    if ((to - from) / q.step > 10_000)
      return sendError(reply, 400, 'bad_request', 'too many steps: raise step or narrow the range');
    const base = { metric: q.metric, step: q.step, top: q.top, from, to };
    // the schema has checked the pairing; this only tells the compiler
    const r = deps.traffic(
      q.country === undefined
        ? { ...base, by: q.by as Dimension }
        : { ...base, country: q.country, by: q.by as DrillBy },
    );
    const body: TrafficRange = {
      by: q.by,
      ...(q.country === undefined ? {} : { country: q.country }),
      metric: q.metric,
      from: r.from,
      to: r.to,
      stepMs: r.stepMs,
      times: r.times,
      totals: r.totals,
      groups: r.groups.map((g) => ({
        key: g.key,
        name:
          q.by !== 'source'
            ? deps.name(q.by, g.key)
            : g.key === OTHER_KEY
              ? 'Other sources'
              : g.key,
        bytes: g.bytes,
        packets: g.packets,
        flows: g.flows,
        series: g.series,
      })),
    };
    if (req.headers.accept?.includes('text/csv')) {
      return reply.type('text/csv; charset=utf-8').send(trafficCsv(body));
    }
    return body;
  });
}
