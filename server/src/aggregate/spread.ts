/** One share of a flow attributed to one second. */
export interface Share {
  /** Start of the second, ms epoch. */
  t: number;
  bytes: number;
  packets: number;
}

/**
 * Spreads a flow's bytes and packets over the seconds it lasted, so a long-lived flow
 * exported at an active timeout does not spike one second. Integer counters stay integers
 * and are conserved exactly: the remainder goes to the earliest seconds. A flow shorter than
 * a second, or one whose start is unknown (start = end), lands whole in its end second.
 *
 * @param start flow start, ms epoch
 * @param end flow end, ms epoch (≥ start)
 * @param maxSpreadMs longest span to spread over; older parts are folded into the first second kept
 * @param stepMs bucket width, ms
 */
export function spreadFlow(
  start: number,
  end: number,
  bytes: number,
  packets: number,
  maxSpreadMs: number,
  stepMs: number,
): Share[] {
  const last = end - (end % stepMs);
  const from = Math.max(start, end - maxSpreadMs);
  const first = from - (from % stepMs);
  const n = (last - first) / stepMs + 1;
  if (n <= 1) return [{ t: last, bytes, packets }];
  const out: Share[] = new Array<Share>(n);
  const bEach = Math.floor(bytes / n);
  const pEach = Math.floor(packets / n);
  let bRem = bytes - bEach * n;
  let pRem = packets - pEach * n;
  for (let i = 0; i < n; i++) {
    const b = bEach + (bRem > 0 ? 1 : 0);
    const p = pEach + (pRem > 0 ? 1 : 0);
    if (bRem > 0) bRem--;
    if (pRem > 0) pRem--;
    out[i] = { t: first + i * stepMs, bytes: b, packets: p };
  }
  return out;
}
