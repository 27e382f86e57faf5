/** Bins of one second each: delays past the last bin are not late flows but history. */
const BINS = 121;

/**
 * How late flows reach the live view, learned from what arrives: each observation is a
 * second (ms epoch) that received packets at a moment, its delay the time since that
 * second ended. The horizon is the delay within which `quantile` of the packets of the last
 * `windowMs` arrived: a second older than it is final (detection clears alerts and teaches
 * baselines only on final seconds). An exporter with 1-s timeouts gives a horizon of a
 * second or two; a router's 60-s active timeout, about a minute, and that is the truth: its
 * seconds are not complete before. The window (2 minutes) holds two of such a router's export
 * cycles, and forgets a pipeline that fell behind for a while soon after it caught up. Pure:
 * time is every call's argument.
 */
export class Lateness {
  /** One histogram of packets by delay (s) per minute, newest last. */
  private readonly minutes: { minute: number; bins: Float64Array }[] = [];

  constructor(
    private readonly opts: {
      windowMs: number;
      quantile: number;
      /** Horizon while nothing was observed, and its lower bound, ms. */
      minMs: number;
    } = { windowMs: 120_000, quantile: 0.95, minMs: 1_000 },
  ) {}

  /** `packets` arrived at `now` in the second starting at `t` (ms epoch). */
  observe(now: number, t: number, packets: number): void {
    if (!(packets > 0)) return;
    const delay = Math.max(0, now - (t + 1000));
    const bin = Math.floor(delay / 1000);
    if (bin >= BINS) return; // a restored or replayed second, or an absurd timestamp
    const minute = now - (now % 60_000);
    let m = this.minutes.at(-1);
    if (!m || m.minute !== minute) {
      m = { minute, bins: new Float64Array(BINS) };
      this.minutes.push(m);
      const oldest = minute - this.opts.windowMs;
      while ((this.minutes[0]?.minute ?? Infinity) <= oldest) this.minutes.shift();
    }
    (m.bins as Float64Array)[bin] = ((m.bins as Float64Array)[bin] as number) + packets;
  }

  /** The delay (ms) within which `quantile` of the recent packets arrived, at least `minMs`. */
  horizonMs(now: number): number {
    const oldest = now - (now % 60_000) - this.opts.windowMs;
    const sum = new Float64Array(BINS);
    let total = 0;
    for (const m of this.minutes) {
      if (m.minute <= oldest) continue;
      for (let i = 0; i < BINS; i++) {
        const v = m.bins[i] as number;
        sum[i] = (sum[i] as number) + v;
        total += v;
      }
    }
    if (total === 0) return this.opts.minMs;
    let acc = 0;
    for (let i = 0; i < BINS; i++) {
      acc += sum[i] as number;
      if (acc >= this.opts.quantile * total) return Math.max(this.opts.minMs, (i + 1) * 1000);
    }
    return BINS * 1000;
  }
}
