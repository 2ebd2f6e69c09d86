/**
 * Quantiles of a numeric column. Values go into a reservoir (Vitter's algorithm R) of
 * `capacity` slots: while a column has no more values than that, the reservoir holds all of
 * them and the quantiles are exact; past it, they come from a uniform sample of `capacity`
 * values, whose rank error has standard deviation ≤ 0.5 / sqrt(capacity) (e.g. ±0.05% of the
 * rank at 10^6 slots). The sampler's generator is seeded, so a profile is reproducible.
 */

export interface QuantileResult {
  values: number[];
  method: 'exact' | 'reservoir';
  /** Values the reservoir kept (all of them when exact). */
  sampleSize: number;
}

export class QuantileReservoir {
  private readonly buffer: Float64Array;
  private seen = 0;
  private state = 0x2545f491;

  /** `expected` (an upper bound on the values to come) keeps small columns' buffers small. */
  constructor(capacity: number, expected: number) {
    this.buffer = new Float64Array(Math.max(0, Math.min(capacity, expected)));
  }

  add(value: number): void {
    if (this.seen < this.buffer.length) {
      this.buffer[this.seen++] = value;
      return;
    }
    this.seen++;
    if (this.buffer.length === 0) return;
    const slot = Math.floor(this.random() * this.seen);
    if (slot < this.buffer.length) this.buffer[slot] = value;
  }

  /** Quantiles by linear interpolation between closest ranks (as numpy's default, DuckDB's quantile_cont). */
  quantiles(ps: readonly number[]): QuantileResult | null {
    const size = Math.min(this.seen, this.buffer.length);
    if (size === 0) return null;
    const sorted = this.buffer.slice(0, size).sort();
    const values = ps.map((p) => {
      const h = (size - 1) * p;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, size - 1);
      return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
    });
    return { values, method: this.seen > this.buffer.length ? 'reservoir' : 'exact', sampleSize: size };
  }

  /** xorshift32: fast, seeded, good enough for sampling positions. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return (x >>> 0) / 4294967296;
  }
}
