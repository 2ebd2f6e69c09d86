/**
 * Counts how often each value of a column occurs, for its distinct count and top values, in
 * bounded memory: exact (one Map entry per value) up to `exactLimit` distinct values; past it,
 * distinct comes from a HyperLogLog sketch and top values from a Misra–Gries summary (batched
 * decrements) that keeps at most 2 × exactLimit candidates.
 *
 * Misra–Gries never over-counts: each reported count is at most `maxUndercount` below the true
 * count, and that bound is at most n / (exactLimit + 1). Any value more frequent than the bound
 * is guaranteed to be among the candidates.
 */
import { HLL_RELATIVE_ERROR, HyperLogLog, type SketchKey } from './hyperloglog.js';

export interface DistinctResult {
  distinct: number;
  method: 'exact' | 'hll';
  /** Relative standard error of an `hll` estimate; null when exact. */
  relativeError: number | null;
}

export interface TopResult<K> {
  values: Array<{ value: K; count: number }>;
  method: 'exact' | 'misra_gries';
  /** How far below its true count a reported count may be (0 when exact). */
  maxUndercount: number;
}

export class ValueCounter<K extends SketchKey> {
  private counts = new Map<K, number>();
  private sketch: HyperLogLog | undefined;
  private undercount = 0;

  constructor(private readonly exactLimit: number) {}

  add(key: K, times = 1): void {
    this.sketch?.add(key);
    this.counts.set(key, (this.counts.get(key) ?? 0) + times);
    if (!this.sketch && this.counts.size > this.exactLimit) this.startSketch();
    else if (this.sketch && this.counts.size > 2 * this.exactLimit) this.prune();
  }

  distinct(): DistinctResult {
    if (!this.sketch) return { distinct: this.counts.size, method: 'exact', relativeError: null };
    return { distinct: this.sketch.estimate(), method: 'hll', relativeError: HLL_RELATIVE_ERROR };
  }

  /** The k most frequent values, ties broken by value so the answer is deterministic. */
  top(k: number): TopResult<K> {
    const entries = [...this.counts].sort((a, b) => b[1] - a[1] || compareKeys(a[0], b[0]));
    return {
      values: entries.slice(0, k).map(([value, count]) => ({ value, count })),
      method: this.sketch ? 'misra_gries' : 'exact',
      maxUndercount: this.undercount,
    };
  }

  private startSketch(): void {
    this.sketch = new HyperLogLog();
    for (const key of this.counts.keys()) this.sketch.add(key);
  }

  /**
   * Misra–Gries with batched decrements: subtract the (limit+1)-th largest count from every
   * candidate and drop those left at zero or below. At least limit+1 candidates lose `t` each
   * time, so the total subtracted (the undercount bound) stays ≤ n / (limit + 1).
   */
  private prune(): void {
    const counts = Float64Array.from(this.counts.values()).sort().reverse();
    const t = counts[this.exactLimit]!;
    const kept = new Map<K, number>();
    for (const [key, count] of this.counts) if (count > t) kept.set(key, count - t);
    this.counts = kept;
    this.undercount += t;
  }
}

function compareKeys(a: SketchKey, b: SketchKey): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
