import type { AggDimension } from '@surgewatch/shared';
import type { KeySample, SampledFlowView, SubjectRef, TrafficReader } from './reader.js';
import type { RuleMetric } from './rules.js';

/** Traffic of one second for tests: total bps and per-dimension key bps (pps = bps / 1000). */
export interface FakeSecond {
  bps: number;
  keys?: Partial<Record<AggDimension, Record<string, number>>>;
  /** The second's flow sample, each flow with the bytes it stands for. */
  sample?: { flow: SampledFlowView; bytes: number }[];
}

/**
 * A TrafficReader over a function of time, for pure tests. With `minutesFrom` (ms epoch) it
 * has minute history from then on: the mean of each minute's seconds, as rollups would give.
 */
export function fakeReader(
  at: (t: number) => FakeSecond | null,
  opts: { minutesFrom?: number } = {},
): TrafficReader {
  const valueOf = (t: number, metric: RuleMetric, subject: SubjectRef): number => {
    const s = at(t);
    if (!s) return 0;
    const bps = subject ? (s.keys?.[subject.dim]?.[subject.key] ?? 0) : s.bps;
    if (metric === 'share') return s.bps > 0 ? bps / s.bps : 0;
    return metric === 'bps' ? bps : bps / 1000;
  };
  return {
    second(t) {
      const s = at(t);
      if (!s) return null;
      return {
        total: { bps: s.bps, pps: s.bps / 1000, fps: s.bps / 1000, sources: s.bps / 1000 },
        keys: (d) =>
          Object.entries(s.keys?.[d] ?? {}).map(([key, bps]): KeySample => ({
            key,
            bps,
            pps: bps / 1000,
            fps: bps / 1000,
            sources: () => bps / 1000,
          })),
      };
    },
    series(from, to, metric, subject) {
      const out: number[] = [];
      for (let t = from; t < to; t += 1000) out.push(valueOf(t, metric, subject));
      return out;
    },
    ...(opts.minutesFrom === undefined
      ? {}
      : {
          minutes(from: number, to: number, metric: RuleMetric, subject: SubjectRef) {
            const out: (number | null)[] = [];
            for (let m = from; m < to; m += 60_000) {
              if (m < (opts.minutesFrom as number)) {
                out.push(null);
                continue;
              }
              let sum = 0;
              for (let t = m; t < m + 60_000; t += 1000) sum += valueOf(t, metric, subject);
              out.push(sum / 60);
            }
            return out;
          },
        }),
    contributors(_t, subject) {
      const c = subject?.dim === 'country' ? [{ key: subject.key, name: subject.key, bps: 0 }] : [];
      return { countries: c, asns: [], sources: [], vectors: [] };
    },
    name: (_d, key) => key,
    forEachSampled(t, fn) {
      for (const { flow, bytes } of at(t)?.sample ?? []) fn(flow, bytes);
      return true;
    },
  };
}
