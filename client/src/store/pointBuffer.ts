import type { TrafficPoint } from '@surgewatch/shared';

/** How much history the browser keeps: whichever bound is hit first wins. */
export interface BufferLimits {
  /** Maximum number of points (one per second: 3600 = one hour). */
  maxPoints: number;
  /** Maximum age of the oldest point relative to the newest one, ms. */
  maxAgeMs: number;
}

export const DEFAULT_LIMITS: BufferLimits = { maxPoints: 3600, maxAgeMs: 60 * 60 * 1000 };

/**
 * Merges `incoming` points into `existing` (both sorted by `t`, oldest first) and returns a
 * new sorted array: a point whose `t` is already present replaces it (late records updated
 * that second), new ones are inserted in order. The result is trimmed to `limits`, measured
 * from the newest point rather than the wall clock so a stalled feed keeps its last picture.
 *
 * Ticks almost always touch only the last few seconds, so the common case copies the old
 * prefix once and works on the tail: O(n) per tick with n ≤ maxPoints, no sort.
 */
export function mergePoints(
  existing: readonly TrafficPoint[],
  incoming: readonly TrafficPoint[],
  limits: BufferLimits = DEFAULT_LIMITS,
): TrafficPoint[] {
  if (incoming.length === 0) return trimPoints(existing.slice(), limits);
  const sortedIncoming = isSorted(incoming) ? incoming : [...incoming].sort((a, b) => a.t - b.t);
  const firstNew = sortedIncoming[0]!.t;
  // Everything strictly older than the oldest incoming point stays as is.
  const cut = lowerBound(existing, firstNew);
  const out = existing.slice(0, cut);
  let i = cut;
  let j = 0;
  while (i < existing.length || j < sortedIncoming.length) {
    const a = existing[i];
    const b = sortedIncoming[j];
    if (b === undefined || (a !== undefined && a.t < b.t)) {
      out.push(a!);
      i++;
    } else {
      if (a !== undefined && a.t === b.t) i++; // replaced by the newer version of that second
      // Duplicates inside one tick: the last one wins.
      if (out.length > 0 && out[out.length - 1]!.t === b.t) out[out.length - 1] = b;
      else out.push(b);
      j++;
    }
  }
  return trimPoints(out, limits);
}

/** Drops the oldest points beyond `limits` (in place) and returns the array. */
export function trimPoints(points: TrafficPoint[], limits: BufferLimits): TrafficPoint[] {
  const newest = points[points.length - 1];
  if (newest === undefined) return points;
  const byCount = Math.max(0, points.length - limits.maxPoints);
  const byAge = lowerBound(points, newest.t - limits.maxAgeMs);
  const drop = Math.max(byCount, byAge);
  if (drop > 0) points.splice(0, drop);
  return points;
}

/** Index of the first point with `t >= t0` in a sorted array (points.length if none). */
export function lowerBound(points: readonly TrafficPoint[], t0: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.t < t0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isSorted(points: readonly TrafficPoint[]): boolean {
  for (let k = 1; k < points.length; k++) if (points[k - 1]!.t > points[k]!.t) return false;
  return true;
}
