/**
 * Per-group accumulators of the aggregate step (DESIGN §10). Each takes the input a batch at a
 * time, with that batch's group ids still hot in cache, into typed-array state indexed by group
 * id (grown as groups appear). Nulls are skipped as SQL does.
 */
import * as arrow from 'apache-arrow';
import { newBitmap, numbersToInt64, setBit } from '../../formats/raw.js';
import { columnIndex, nullBits, numberValues, type ColumnIndex, type KeyKind } from '../key-columns.js';
import { PairTable } from '../key-tables.js';
import { sumInto } from '../sum-kernels.js';

export { sumInto } from '../sum-kernels.js';

export interface Accumulator {
  /**
   * One batch: `data` is the metric column's chunk for it (undefined for a bare count), `ids`
   * the group of each of its rows, `base` the table-wide number of its first row, `groups` how
   * many groups exist so far.
   */
  add(data: arrow.Data | undefined, ids: Int32Array, base: number, groups: number): void;
}

/** `array` with room for `n` entries (doubling), new entries set to `fill`. */
export function fit<T extends Float64Array | Int32Array>(array: T, n: number, fill = 0): T {
  if (array.length >= n) return array;
  const grown = new (array.constructor as new (n: number) => T)(Math.max(n, array.length * 2));
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

const isValid = (bits: Uint8Array | null, bit: number): boolean => bits === null || (bits[bit >> 3]! & (1 << (bit & 7))) !== 0;

/** Rows per group (a bare count). */
export class RowCount implements Accumulator {
  counts = new Float64Array(16);
  add(_data: arrow.Data | undefined, ids: Int32Array, _base: number, groups: number): void {
    const counts = (this.counts = fit(this.counts, groups));
    for (let i = 0; i < ids.length; i++) counts[ids[i]!]++;
  }
}

/** Non-null cells per group, for columns of any type. */
export class ValidCount implements Accumulator {
  counts = new Float64Array(16);
  add(data: arrow.Data | undefined, ids: Int32Array, _base: number, groups: number): void {
    const counts = (this.counts = fit(this.counts, groups));
    if (!data || arrow.DataType.isNull(data.type)) return;
    const bits = nullBits(data);
    const off = data.offset;
    for (let i = 0; i < ids.length; i++) if (isValid(bits, off + i)) counts[ids[i]!]++;
  }
}

/** Groups up to this many are summed in 4 interleaved lanes (see SumCount). */
const LANE_GROUPS = 256;

/**
 * Sum and count of the non-null numbers of each group, in one pass (count, sum and avg share
 * it). With few groups, consecutive rows keep hitting the same slot and each add waits for the
 * previous one; four lanes (row i adds into lane i % 4) break that chain, and are folded per batch.
 */
export class SumCount implements Accumulator {
  sum = new Float64Array(16);
  count = new Float64Array(16);
  private laneSum = new Float64Array(4 * LANE_GROUPS);
  private laneCount = new Float64Array(4 * LANE_GROUPS);

  add(data: arrow.Data | undefined, ids: Int32Array, _base: number, groups: number): void {
    this.sum = fit(this.sum, groups);
    this.count = fit(this.count, groups);
    const v = numberValues(data!);
    const bits = nullBits(data!);
    if (groups > LANE_GROUPS) {
      sumInto(this.sum, this.count, v, bits, data!.offset, ids, 0);
      return;
    }
    const { laneSum, laneCount } = this;
    laneSum.fill(0, 0, 4 * groups);
    laneCount.fill(0, 0, 4 * groups);
    sumInto(laneSum, laneCount, v, bits, data!.offset, ids, 2, undefined, groups);
    for (let g = 0; g < groups; g++) {
      this.sum[g]! += laneSum[4 * g]! + laneSum[4 * g + 1]! + laneSum[4 * g + 2]! + laneSum[4 * g + 3]!;
      this.count[g]! += laneCount[4 * g]! + laneCount[4 * g + 1]! + laneCount[4 * g + 2]! + laneCount[4 * g + 3]!;
    }
  }
}

/** Sample standard deviation (n − 1) by Welford's update, which stays sane when values are large and close. */
export class Stddev implements Accumulator {
  private count = new Float64Array(16);
  private mean = new Float64Array(16);
  private m2 = new Float64Array(16);
  add(data: arrow.Data | undefined, ids: Int32Array, _base: number, groups: number): void {
    const count = (this.count = fit(this.count, groups));
    const mean = (this.mean = fit(this.mean, groups));
    const m2 = (this.m2 = fit(this.m2, groups));
    const v = numberValues(data!);
    const bits = nullBits(data!);
    const off = data!.offset;
    for (let i = 0; i < ids.length; i++) {
      if (!isValid(bits, off + i)) continue;
      const g = ids[i]!;
      const x = v[i]!;
      const n = ++count[g]!;
      const delta = x - mean[g]!;
      mean[g]! += delta / n;
      m2[g]! += delta * (x - mean[g]!);
    }
  }
  finish(groups: number): arrow.Data {
    const count = fit(this.count, groups);
    const m2 = fit(this.m2, groups);
    const out = new Float64Array(groups);
    for (let g = 0; g < groups; g++) out[g] = count[g]! >= 2 ? Math.sqrt(m2[g]! / (count[g]! - 1)) : NaN;
    return float64Column(out, (g) => count[g]! >= 2);
  }
}

/** Distinct non-null values per group: (group, value id) pairs, each counted when first seen. */
export class DistinctCount implements Accumulator {
  counts = new Float64Array(16);
  private index: ColumnIndex;
  private values = new Int32Array(0);
  private pairs = new PairTable(1 << 12);

  constructor(kind: KeyKind, chunks: readonly arrow.Data[]) {
    this.index = columnIndex(kind, 'skip');
    this.index.prepare(chunks);
  }

  add(data: arrow.Data | undefined, ids: Int32Array, _base: number, groups: number): void {
    const counts = (this.counts = fit(this.counts, groups));
    if (this.values.length < ids.length) this.values = new Int32Array(ids.length);
    const values = this.values;
    this.index.buildChunk(data!, values, 0);
    const pairs = this.pairs;
    for (let i = 0; i < ids.length; i++) {
      const v = values[i]!;
      if (v < 0) continue;
      const before = pairs.size;
      if (pairs.add(ids[i]!, v) === before) counts[ids[i]!]++;
    }
  }
}

/** An int64 column of whole numbers below 2^53; `valid` says which groups have a value. */
export function int64Column(values: Float64Array, groups: number, valid?: (g: number) => boolean): arrow.Data {
  const { bitmap, nulls } = validityOf(groups, valid);
  return arrow.makeData({ type: new arrow.Int64(), length: groups, nullCount: nulls, nullBitmap: bitmap, data: numbersToInt64(values, groups) });
}

export function float64Column(values: Float64Array, valid?: (g: number) => boolean): arrow.Data {
  const { bitmap, nulls } = validityOf(values.length, valid);
  return arrow.makeData({ type: new arrow.Float64(), length: values.length, nullCount: nulls, nullBitmap: bitmap, data: values });
}

function validityOf(length: number, valid: ((g: number) => boolean) | undefined): { bitmap: Uint8Array | null; nulls: number } {
  if (!valid) return { bitmap: null, nulls: 0 };
  const bitmap = newBitmap(length);
  let nulls = 0;
  for (let g = 0; g < length; g++) {
    if (valid(g)) setBit(bitmap, g);
    else nulls++;
  }
  return { bitmap: nulls > 0 ? bitmap : null, nulls };
}
