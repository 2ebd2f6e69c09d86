/**
 * The perfect-hash join (as DuckDB does it): when the right side's key is one integer column
 * whose values are unique and span a narrow range, a key's id is its value (minus an offset),
 * the right rows are found by indexing an array, and the left side needs no hash table, no id
 * array and no second pass: each left batch is checked once (read only), and when every row
 * matches, its key column's own buffer serves as the ids (and as the codes of right text
 * columns, see join-lookup.ts). Dimension tables keyed by dense ids are the common case.
 */
import * as arrow from 'apache-arrow';
import { columnChunks } from '../keys.js';
import { nullBits, numberValues } from '../key-columns.js';
import { lookupPairs, type JoinSource } from './join-match.js';
import type { JoinPlan } from './join-plan.js';

/** Widest key range indexed directly (4 bytes a slot), whatever the right side's size. */
const MAX_RANGE = 1 << 22;

interface DirectKeys {
  /** A key's id is its value minus this (0 when values start at or near 0, so left buffers can be ids as they are). */
  offset: number;
  /** Right row of each id, -1 for none. */
  rightOfKey: Int32Array;
  /** Id of each right row's key, -1 for null. */
  rightKeys: Int32Array;
}

const isWholeNumber = (t: arrow.DataType): boolean => arrow.DataType.isInt(t);

/** The direct join source, or undefined when the keys do not allow it (then the hash join runs). */
export function directSource(plan: JoinPlan, left: arrow.Table, right: arrow.Table): JoinSource | undefined {
  if (plan.keys.length !== 1) return undefined;
  const key = plan.keys[0]!;
  const leftType = left.schema.fields.find((f) => f.name === key.left)?.type;
  const rightType = right.schema.fields.find((f) => f.name === key.right)?.type;
  if (!leftType || !rightType || !isWholeNumber(leftType) || !isWholeNumber(rightType)) return undefined;
  const keys = directKeys(columnChunks(right, key.right), right.numRows);
  if (!keys) return undefined;
  const leftChunks = columnChunks(left, key.left);
  const keepLeft = plan.how === 'left' || plan.how === 'full';
  const leftHas = plan.how === 'right' || plan.how === 'full' ? new Uint8Array(keys.rightOfKey.length) : undefined;
  return {
    countIfOver(limit) {
      const unmatchedBound = leftHas ? right.numRows : 0;
      if (left.numRows + unmatchedBound <= limit) return undefined;
      // Only now is an exact count worth a pass (read only, nothing marked).
      let total = 0;
      const seen = leftHas ? new Uint8Array(keys.rightOfKey.length) : undefined;
      for (const data of leftChunks) {
        const misses = checkBatch(data, keys, seen);
        total += keepLeft ? data.length : data.length - misses;
      }
      if (seen) for (let r = 0; r < keys.rightKeys.length; r++) if (keys.rightKeys[r]! < 0 || seen[keys.rightKeys[r]!] === 0) total++;
      return total > limit ? total : undefined;
    },
    rightOfKey: keys.rightOfKey,
    batch(b) {
      const data = leftChunks[b]!;
      const misses = checkBatch(data, keys, leftHas);
      return lookupPairs(batchKeys(data, keys, misses), keepLeft, misses > 0);
    },
    keysOf(b) {
      const data = leftChunks[b]!;
      const v = numberValues(data);
      // Usually the key column's own buffer: ids are values, and range and misses are the caller's.
      if (keys.offset === 0 && nullBits(data) === null && v instanceof Int32Array) return v.subarray(0, data.length);
      return uncheckedKeys(data, keys.offset);
    },
    unmatchedRight() {
      if (!leftHas) return new Int32Array(0);
      const rows: number[] = [];
      keys.rightKeys.forEach((k, r) => {
        if (k < 0 || leftHas[k] === 0) rows.push(r);
      });
      return Int32Array.from(rows);
    },
  };
}

function directKeys(chunks: readonly arrow.Data[], rows: number): DirectKeys | undefined {
  let min = Infinity;
  let max = -Infinity;
  forEachValue(chunks, (x) => {
    if (x < min) min = x;
    if (x > max) max = x;
  });
  if (min > max) return undefined;
  const range = max - min + 1;
  if (range > Math.min(MAX_RANGE, Math.max(4096, 2 * rows))) return undefined;
  // Values from (near) 0 keep offset 0: ids are then the values themselves.
  const offset = min >= 0 && max < Math.min(MAX_RANGE, Math.max(4096, 2 * rows)) ? 0 : min;
  const rightOfKey = new Int32Array(max - offset + 1).fill(-1);
  const rightKeys = new Int32Array(rows).fill(-1);
  let unique = true;
  forEachValue(chunks, (x, row) => {
    const id = x - offset;
    if (rightOfKey[id]! >= 0) unique = false;
    rightOfKey[id] = row;
    rightKeys[row] = id;
  });
  return unique ? { offset, rightOfKey, rightKeys } : undefined;
}

function forEachValue(chunks: readonly arrow.Data[], visit: (x: number, row: number) => void): void {
  let base = 0;
  for (const data of chunks) {
    const v = numberValues(data);
    const bits = nullBits(data);
    const off = data.offset;
    for (let i = 0; i < data.length; i++) {
      if (bits === null || (bits[(off + i) >> 3]! & (1 << ((off + i) & 7))) !== 0) visit(v[i]!, base + i);
    }
    base += data.length;
  }
}

/** Left rows of the batch with no right row (read only); marks the ids it finds in `seen`. */
function checkBatch(data: arrow.Data, keys: DirectKeys, seen: Uint8Array | undefined): number {
  const v = numberValues(data);
  const bits = nullBits(data);
  const { offset, rightOfKey } = keys;
  if (bits === null && seen === undefined && v instanceof Int32Array) return countMisses(v, data.length, offset, rightOfKey);
  const size = rightOfKey.length;
  const off = data.offset;
  let misses = 0;
  for (let i = 0; i < data.length; i++) {
    const x = v[i]! - offset;
    const valid = bits === null || (bits[(off + i) >> 3]! & (1 << ((off + i) & 7))) !== 0;
    if (!valid || x < 0 || x >= size || rightOfKey[x]! < 0) misses++;
    else if (seen) seen[x] = 1;
  }
  return misses;
}

/** The hot loop of a lookup join on int32 keys without nulls: rows whose value has no right row. */
function countMisses(v: Int32Array, n: number, offset: number, rightOfKey: Int32Array): number {
  const size = rightOfKey.length;
  let misses = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]! - offset;
    if (x < 0 || x >= size || rightOfKey[x]! < 0) misses++;
  }
  return misses;
}

/** Key ids of the batch's rows: values minus the offset, -1 for nulls (ranges unchecked, see JoinSource.keysOf). */
function uncheckedKeys(data: arrow.Data, offset: number): Int32Array {
  const v = numberValues(data);
  const bits = nullBits(data);
  const off = data.offset;
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const x = v[i]! - offset;
    const valid = bits === null || (bits[(off + i) >> 3]! & (1 << ((off + i) & 7))) !== 0;
    // Outside int32 means outside any key range: -1 says no match without wrapping around.
    out[i] = valid && x >= 0 && x < 0x7fffffff ? x : -1;
  }
  return out;
}

/** Key ids of the batch's rows (-1: no match): its own buffer when that already is them. */
function batchKeys(data: arrow.Data, keys: DirectKeys, misses: number): Int32Array {
  const v = numberValues(data);
  if (misses === 0 && keys.offset === 0 && v instanceof Int32Array) return v;
  const { offset, rightOfKey } = keys;
  const size = rightOfKey.length;
  const bits = nullBits(data);
  const off = data.offset;
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const x = v[i]! - offset;
    const valid = bits === null || (bits[(off + i) >> 3]! & (1 << ((off + i) & 7))) !== 0;
    out[i] = valid && x >= 0 && x < size && rightOfKey[x]! >= 0 ? x : -1;
  }
  return out;
}
