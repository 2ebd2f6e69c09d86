/**
 * The order-based metrics of the aggregate step: min, max and median. Min and max remember the
 * row holding each group's extreme and gather it at the end, so the output keeps the column's
 * type (text, timestamps and dates included); text compares by UTF-8 bytes (code point order,
 * as SQL engines do), and only when a row's value differs from the group's best so far. Median
 * is exact: values are collected with their group, sorted per group, and the middle two
 * averaged when the count is even.
 */
import type * as arrow from 'apache-arrow';
import { gatherColumn } from '../gather.js';
import { nullBits, numberValues, StringIndex } from '../key-columns.js';
import { fit, float64Column, type Accumulator } from './aggregate-metrics.js';

const isValid = (bits: Uint8Array | null, bit: number): boolean => bits === null || (bits[bit >> 3]! & (1 << (bit & 7))) !== 0;

/** Min or max of numbers, timestamps, dates or bools. NaN counts as larger than every number (as in SQL engines). */
export class NumberExtreme implements Accumulator {
  private best = new Float64Array(16);
  rows = new Int32Array(16).fill(-1);

  constructor(private readonly max: boolean) {}

  add(data: arrow.Data | undefined, ids: Int32Array, base: number, groups: number): void {
    const best = (this.best = fit(this.best, groups));
    const rows = (this.rows = fit(this.rows, groups, -1));
    if (!data || data.nullCount === data.length) return;
    const v = numberValues(data);
    const bits = nullBits(data);
    const off = data.offset;
    const max = this.max;
    for (let i = 0; i < ids.length; i++) {
      if (!isValid(bits, off + i)) continue;
      const g = ids[i]!;
      const x = v[i]!;
      const b = best[g]!;
      const better = max ? x > b || (x !== x && b === b) : x < b || (b !== b && x === x);
      if (better || rows[g]! < 0) {
        best[g] = x;
        rows[g] = base + i;
      }
    }
  }
}

/** Min or max of text. */
export class TextExtreme implements Accumulator {
  private index = new StringIndex(false);
  private values = new Int32Array(0);
  private best = new Int32Array(16);
  rows = new Int32Array(16).fill(-1);

  constructor(private readonly max: boolean) {}

  add(data: arrow.Data | undefined, ids: Int32Array, base: number, groups: number): void {
    const best = (this.best = fit(this.best, groups));
    const rows = (this.rows = fit(this.rows, groups, -1));
    if (this.values.length < ids.length) this.values = new Int32Array(ids.length);
    const values = this.values;
    this.index.buildChunk(data!, values, 0);
    const sign = this.max ? -1 : 1;
    for (let i = 0; i < ids.length; i++) {
      const v = values[i]!;
      if (v < 0) continue;
      const g = ids[i]!;
      if (rows[g]! < 0 || (v !== best[g] && sign * this.index.compare(v, best[g]!) < 0)) {
        best[g] = v;
        rows[g] = base + i;
      }
    }
  }
}

/** The extreme rows, gathered from the whole column. */
export function extremeColumn(accumulator: NumberExtreme | TextExtreme, chunks: readonly arrow.Data[], type: arrow.DataType, groups: number): arrow.Data {
  return gatherColumn(chunks, type, fit(accumulator.rows, groups, -1).slice(0, groups));
}

export class Median implements Accumulator {
  private groupOf = new Int32Array(1024);
  private values = new Float64Array(1024);
  private size = 0;

  add(data: arrow.Data | undefined, ids: Int32Array): void {
    this.groupOf = fit(this.groupOf, this.size + ids.length);
    this.values = fit(this.values, this.size + ids.length);
    const v = numberValues(data!);
    const bits = nullBits(data!);
    const off = data!.offset;
    let size = this.size;
    for (let i = 0; i < ids.length; i++) {
      if (!isValid(bits, off + i)) continue;
      this.groupOf[size] = ids[i]!;
      this.values[size++] = v[i]!;
    }
    this.size = size;
  }

  finish(groups: number): arrow.Data {
    // Counting sort by group, then a numeric sort of each group's values.
    const start = new Int32Array(groups + 1);
    for (let i = 0; i < this.size; i++) start[this.groupOf[i]! + 1]++;
    for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
    const sorted = new Float64Array(this.size);
    const fill = start.slice(0, groups);
    for (let i = 0; i < this.size; i++) sorted[fill[this.groupOf[i]!]!++] = this.values[i]!;
    const out = new Float64Array(groups);
    for (let g = 0; g < groups; g++) {
      const n = start[g + 1]! - start[g]!;
      if (n === 0) continue;
      const values = sorted.subarray(start[g]!, start[g + 1]!).sort();
      const lo = values[(n - 1) >> 1]!;
      const hi = values[n >> 1]!;
      out[g] = lo + (hi - lo) / 2;
    }
    return float64Column(out, (g) => start[g + 1]! > start[g]!);
  }
}
