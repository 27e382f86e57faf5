import type { AlertBaseline } from '@surgewatch/shared';

/**
 * A robust baseline for one series: the metric averaged over fixed sample periods (10 s),
 * kept for a window (30 min), summarised as median and MAD. A period during which the series
 * was alerting is left out, so an attack never teaches the baseline that it is normal; a
 * flood below the threshold still counts, which is why the median (not the mean) is used.
 * The time of day comes on top of it (seasonal.ts). Pure: time is each call's argument.
 */
export class Baseline {
  private readonly samples: number[] = [];
  private periodStart = -1;
  private sum = 0;
  private seconds = 0;
  private tainted = false;
  private cached: AlertBaseline | null = null;

  /**
   * @param sampleMs  length of one sample period, ms
   * @param maxSamples  samples kept (window ÷ sampleMs)
   * @param minSamples  samples needed before the baseline is warm
   */
  constructor(
    private readonly sampleMs: number,
    private readonly maxSamples: number,
    private readonly minSamples: number,
  ) {}

  /** Pre-fills `n` zero samples: a key that never had traffic since detection began. */
  prefillZeros(n: number): void {
    for (let i = 0; i < n && this.samples.length < this.maxSamples; i++) this.samples.push(0);
    this.cached = null;
  }

  /**
   * Adds the value of second `t` (ms epoch). `alerting` marks the period as not normal.
   * Seconds must come in order; a period closes when a second of the next one arrives.
   */
  add(t: number, value: number, alerting: boolean): void {
    const period = t - (t % this.sampleMs);
    if (period !== this.periodStart) {
      this.close();
      this.periodStart = period;
    }
    this.sum += value;
    this.seconds++;
    if (alerting) this.tainted = true;
  }

  private close(): void {
    // a period seen only in part (detection started mid-way) is still a fair mean
    if (this.seconds > 0 && !this.tainted) {
      this.samples.push(this.sum / this.seconds);
      if (this.samples.length > this.maxSamples) this.samples.shift();
      this.cached = null;
    }
    this.sum = 0;
    this.seconds = 0;
    this.tainted = false;
  }

  /** Median and MAD of the kept samples, in the metric's unit. */
  stats(): AlertBaseline {
    if (this.cached) return this.cached;
    const n = this.samples.length;
    const median = medianOf(this.samples);
    const mad = medianOf(this.samples.map((x) => Math.abs(x - median)));
    this.cached = { median, mad, samples: n, warm: n >= this.minSamples };
    return this.cached;
  }

  /** Whether every kept sample and the open period are zero (the series can be dropped). */
  idle(): boolean {
    return this.sum === 0 && this.samples.every((x) => x === 0);
  }
}

/** Median of `xs` (0 for none). */
export function medianOf(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
