/**
 * A faster road for the most common aggregate: one text key column (dictionary-encoded, no
 * nulls in the batch) and only additive metrics (count, sum, avg). Rows are accumulated per
 * dictionary *code*, straight from the codes buffer (four lanes, as SumCount does), then the
 * few codes are folded into their groups: no per-row group id is ever written. Codes no row had
 * used before get their group ids from the key index over a prefix of the batch, widened until
 * every code the batch uses is known, so groups keep their first-appearance order.
 */
import * as arrow from 'apache-arrow';
import { nullBits, numberValues } from '../key-columns.js';
import { UNRESOLVED } from '../key-strings.js';
import type { GroupStream, Selected } from '../keys.js';
import { countSelected, sumInto, sumSelected } from '../sum-kernels.js';
import { takeData } from '../take.js';
import { fit, RowCount, SumCount, type Accumulator } from './aggregate-metrics.js';

/** Dictionaries up to this many entries are accumulated by code. */
const MAX_CODES = 4096;

export interface CodeRoad {
  /**
   * Adds batch `b` by code when it qualifies (else returns false and adds nothing); `columnOf`
   * gives each accumulator's chunk of the batch, `onIds` sees the group ids of the prefix rows
   * it had to index (for first-row bookkeeping). With `selected`, only those rows of the batch
   * count (a fused filter's: nothing is copied but the prefix of keys it indexes), and `base`
   * numbers the selected rows.
   */
  add(b: number, base: number, chunkOf: (accumulator: Accumulator) => arrow.Data | undefined, onIds: (ids: Int32Array, base: number) => void, selected?: Selected): boolean;
}

/** The road, when the stream and the accumulators allow it. */
export function codeRoad(stream: GroupStream, accumulators: readonly Accumulator[]): CodeRoad | undefined {
  const text = stream.text;
  if (!text || !accumulators.every((a) => a instanceof RowCount || a instanceof SumCount)) return undefined;
  const sums = accumulators.filter((a): a is SumCount => a instanceof SumCount);
  // Per SumCount, four lanes per code of sums and of non-null counts.
  const lanes = sums.map(() => ({ sum: new Float64Array(4 * MAX_CODES), count: new Float64Array(4 * MAX_CODES) }));
  const nulls = new Float64Array(MAX_CODES);
  const rows = new Float64Array(MAX_CODES);
  let prefix = new Int32Array(0);
  return {
    add(b, base, chunkOf, onIds, selected) {
      const data = text.chunks[b]!;
      const size = data.dictionary?.length ?? Infinity;
      if (!arrow.DataType.isDictionary(data.type) || data.nullCount > 0 || size > MAX_CODES) return false;
      const codes = (data.values as Int32Array).subarray(0, data.length);
      // One pass per summed column; the first also counts null values, so rows per code come free.
      nulls.fill(0, 0, size);
      sums.forEach((accumulator, k) => {
        const chunk = chunkOf(accumulator)!;
        lanes[k]!.sum.fill(0, 0, 4 * size);
        lanes[k]!.count.fill(0, 0, 4 * size);
        const args = [lanes[k]!.sum, lanes[k]!.count, numberValues(chunk), nullBits(chunk), chunk.offset, codes] as const;
        if (selected) sumSelected(...args, selected.rows, selected.start, 2, k === 0 ? nulls : undefined, size);
        else sumInto(...args, 2, k === 0 ? nulls : undefined, size);
      });
      if (sums.length > 0) for (let c = 0; c < size; c++) rows[c] = laneTotal(lanes[0]!.count, c) + nulls[c]!;
      else countRows(rows, codes, size, selected);
      // The group of each code the batch uses: codes no row had used before are indexed over a growing prefix.
      const ids = text.index.entryIds(data.dictionary!);
      const length = selected ? selected.rows.length : data.length;
      for (let k = 1024; unresolved(ids, rows, size); k *= 4) {
        const n = Math.min(k, length);
        if (prefix.length < n) prefix = new Int32Array(Math.max(n, prefix.length * 2));
        const keys = selected ? takeData(data, selected.rows.subarray(0, n), selected.start) : n === data.length ? data : data.slice(0, n);
        text.index.buildChunk(keys, prefix, 0);
        onIds(prefix.subarray(0, n), base);
      }
      const groups = stream.count;
      for (const accumulator of accumulators) {
        if (!(accumulator instanceof RowCount)) continue;
        const counts = (accumulator.counts = fit(accumulator.counts, groups));
        for (let c = 0; c < size; c++) if (rows[c]! > 0) counts[ids[c]!]! += rows[c]!;
      }
      sums.forEach((accumulator, k) => {
        const sum = (accumulator.sum = fit(accumulator.sum, groups));
        const count = (accumulator.count = fit(accumulator.count, groups));
        for (let c = 0; c < size; c++) {
          if (rows[c] === 0) continue;
          sum[ids[c]!]! += laneTotal(lanes[k]!.sum, c);
          count[ids[c]!]! += laneTotal(lanes[k]!.count, c);
        }
      });
      return true;
    },
  };
}

const laneTotal = (lanes: Float64Array, c: number): number => lanes[4 * c]! + lanes[4 * c + 1]! + lanes[4 * c + 2]! + lanes[4 * c + 3]!;

/** Rows per code (only the selected ones, when given), four lanes at a time. */
function countRows(rows: Float64Array, codes: Int32Array, size: number, selected: Selected | undefined): void {
  const lanes = new Float64Array(4 * size);
  if (selected) countSelected(lanes, codes, selected.rows, selected.start, 2);
  else for (let i = 0; i < codes.length; i++) lanes[(codes[i]! << 2) | (i & 3)]++;
  for (let c = 0; c < size; c++) rows[c] = laneTotal(lanes, c);
}

function unresolved(ids: Int32Array, rows: Float64Array, size: number): boolean {
  for (let c = 0; c < size; c++) if (rows[c]! > 0 && ids[c] === UNRESOLVED) return true;
  return false;
}
