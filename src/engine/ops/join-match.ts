/**
 * Which rows a join pairs, as typed arrays (DESIGN §10). Both sides' keys share one id space
 * (the smaller side is indexed, the larger only looked up: src/engine/keys.ts); the right rows
 * are then bucketed by key id (counting sort, so each bucket keeps right-table order). Output
 * rows follow the left table: each left row with its matches in right order (or alone, padded,
 * in left and full joins), then the right rows nothing matched (right and full joins).
 * Everything is counted before anything is materialized, so a join that would explode is
 * refused cheaply. When no key repeats on the right (a lookup join), left key ids address the
 * right rows directly and the per-row pair lists are skipped.
 */
import type * as arrow from 'apache-arrow';
import { joinKeyIds } from '../keys.js';
import type { JoinKind } from './join-plan.js';

export interface JoinMatches {
  /** Key id of each left row, -1 when it can match nothing. */
  leftKeys: Int32Array;
  /** Right rows grouped by key id: bucket k is rightRows[rightStart[k] .. rightStart[k + 1]). */
  rightStart: Int32Array;
  rightRows: Int32Array;
  /**
   * Set when no key has two right rows (a lookup join, the common case): the right row of each
   * key id, -1 for none. Then `leftKeys` is -1 exactly where a left row has no match.
   */
  rightOfKey: Int32Array | undefined;
  /** Left rows without a match. */
  leftMisses: number;
  /** Left rows without a match still make one output row (left and full joins). */
  keepLeft: boolean;
  /** Right rows no left row matched, in right order (right and full joins; empty otherwise). */
  unmatchedRight: Int32Array;
  /** Output rows in all. */
  total: number;
}

export function matchJoin(left: arrow.Table, leftKeys: readonly string[], right: arrow.Table, rightKeys: readonly string[], how: JoinKind): JoinMatches {
  const l = { table: left, columns: leftKeys };
  const r = { table: right, columns: rightKeys };
  // Index the smaller side; the id space is the same either way.
  const buildLeft = left.numRows < right.numRows;
  const ids = buildLeft ? joinKeyIds(l, r) : joinKeyIds(r, l);
  const kL = buildLeft ? ids.build : ids.probe;
  const kR = buildLeft ? ids.probe : ids.build;
  const bound = ids.bound;

  const rightStart = new Int32Array(bound + 1);
  for (let i = 0; i < kR.length; i++) if (kR[i]! >= 0) rightStart[kR[i]! + 1]++;
  let unique = true;
  for (let k = 0; k < bound; k++) {
    if (rightStart[k + 1]! > 1) unique = false;
    rightStart[k + 1]! += rightStart[k]!;
  }
  const rightRows = new Int32Array(rightStart[bound]!);
  const fill = rightStart.slice(0, bound);
  for (let i = 0; i < kR.length; i++) if (kR[i]! >= 0) rightRows[fill[kR[i]!]!++] = i;

  const keepLeft = how === 'left' || how === 'full';
  const leftHas = how === 'right' || how === 'full' ? new Uint8Array(bound) : undefined;
  let rightOfKey: Int32Array | undefined;
  let leftMisses = buildLeft ? 0 : ids.probeMisses;
  let total = 0;
  if (unique) {
    rightOfKey = new Int32Array(bound).fill(-1);
    for (let k = 0; k < bound; k++) if (rightStart[k + 1]! > rightStart[k]!) rightOfKey[k] = rightRows[rightStart[k]!]!;
    // Probing the right side, every id found has its right row; indexing the (smaller) left side, some may not.
    if (buildLeft) leftMisses = normalizeMisses(kL, rightOfKey);
    if (leftHas) for (let i = 0; i < kL.length; i++) if (kL[i]! >= 0) leftHas[kL[i]!] = 1;
    total = keepLeft ? kL.length : kL.length - leftMisses;
  } else {
    leftMisses = 0;
    for (let i = 0; i < kL.length; i++) {
      const k = kL[i]!;
      const matches = k >= 0 ? rightStart[k + 1]! - rightStart[k]! : 0;
      total += matches > 0 ? matches : keepLeft ? 1 : 0;
      if (matches === 0) leftMisses++;
      if (leftHas && k >= 0) leftHas[k] = 1;
    }
  }
  const unmatchedRight = leftHas ? rowsWhere(kR, (k) => k < 0 || leftHas[k] === 0) : new Int32Array(0);
  total += unmatchedRight.length;
  return { leftKeys: kL, rightStart, rightRows, rightOfKey, leftMisses, keepLeft, unmatchedRight, total };
}

/** Sets to -1 the left keys no right row has; returns how many left rows are then -1. */
function normalizeMisses(keys: Int32Array, rightOfKey: Int32Array): number {
  let misses = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k >= 0 && rightOfKey[k]! >= 0) continue;
    keys[i] = -1;
    misses++;
  }
  return misses;
}

function rowsWhere(keys: Int32Array, keep: (k: number) => boolean): Int32Array {
  let n = 0;
  for (let i = 0; i < keys.length; i++) if (keep(keys[i]!)) n++;
  const rows = new Int32Array(n);
  for (let i = 0, o = 0; i < keys.length; i++) if (keep(keys[i]!)) rows[o++] = i;
  return rows;
}

export interface BatchPairs {
  /** Rows of the left batch (batch-local) and of the right table (table-wide, -1 = none), one per output row. */
  left: Int32Array;
  right: Int32Array;
  /** Every left row appears once, in order: left columns can pass through untouched. */
  identity: boolean;
  /** No -1 in `right`: every output row has its right row. */
  complete: boolean;
}

/** The output rows of left rows [start, end) (one left batch). */
export function batchPairs(m: JoinMatches, start: number, end: number): BatchPairs {
  const { leftKeys, rightStart, rightRows, keepLeft } = m;
  let rows = 0;
  let identity = true;
  let padded = 0;
  for (let i = start; i < end; i++) {
    const k = leftKeys[i]!;
    const matches = k >= 0 ? rightStart[k + 1]! - rightStart[k]! : 0;
    const out = matches > 0 ? matches : keepLeft ? 1 : 0;
    if (out !== 1) identity = false;
    if (matches === 0 && keepLeft) padded++;
    rows += out;
  }
  const left = new Int32Array(rows);
  const right = new Int32Array(rows);
  let o = 0;
  for (let i = start; i < end; i++) {
    const k = leftKeys[i]!;
    const from = k >= 0 ? rightStart[k]! : 0;
    const to = k >= 0 ? rightStart[k + 1]! : 0;
    if (from === to) {
      if (keepLeft) {
        left[o] = i - start;
        right[o++] = -1;
      }
      continue;
    }
    for (let j = from; j < to; j++) {
      left[o] = i - start;
      right[o++] = rightRows[j]!;
    }
  }
  return { left, right, identity, complete: padded === 0 };
}

/**
 * How a join's output rows are produced, batch by batch of the left table: by hashing
 * (matchJoin) or by direct indexing (join-direct.ts).
 */
export interface JoinSource {
  /** Output rows in all when they exceed `limit` (undefined when they do not); may cost a counting pass. */
  countIfOver(limit: number): number | undefined;
  /** Set for lookup joins (no key repeats on the right): the right row of each key id; pairs' `right` then holds key ids. */
  rightOfKey: Int32Array | undefined;
  /** Output rows of left rows [start, end), batch `b`, in order. */
  batch(b: number, start: number, end: number): BatchPairs;
  /**
   * Lookup joins: the key id of every left row of batch `b` (rows [start, end)), unchecked: a
   * row matches exactly when its id is in [0, rightOfKey.length) and has a right row there.
   * Cheaper than `batch` (no pass to find misses); for work that handles misses itself.
   */
  keysOf?(b: number, start: number, end: number): Int32Array;
  /** Right rows no left row matched, in right order (empty unless right or full); asked after every batch. */
  unmatchedRight(): Int32Array;
}

export function hashSource(m: JoinMatches): JoinSource {
  return {
    countIfOver: (limit) => (m.total > limit ? m.total : undefined),
    rightOfKey: m.rightOfKey,
    batch: (_b, start, end) => (m.rightOfKey ? lookupPairs(m.leftKeys.subarray(start, end), m.keepLeft, m.leftMisses > 0) : batchPairs(m, start, end)),
    keysOf: (_b, start, end) => m.leftKeys.subarray(start, end),
    unmatchedRight: () => m.unmatchedRight,
  };
}

/**
 * A lookup join's rows for one batch whose left rows have key ids `keys` (-1: no match). Every
 * left row is kept when unmatched ones are (or none is unmatched); otherwise the matched ones
 * are picked out. `right` holds key ids, which address the per-key right columns.
 */
export function lookupPairs(keys: Int32Array, keepLeft: boolean, mayMiss: boolean): BatchPairs {
  let misses = 0;
  if (mayMiss) for (let i = 0; i < keys.length; i++) misses += keys[i]! >>> 31;
  if (misses === 0 || keepLeft) return { left: keys, right: keys, identity: true, complete: misses === 0 };
  const left = new Int32Array(keys.length - misses);
  const right = new Int32Array(keys.length - misses);
  for (let i = 0, o = 0; i < keys.length; i++) {
    if (keys[i]! < 0) continue;
    left[o] = i;
    right[o++] = keys[i]!;
  }
  return { left, right, identity: false, complete: true };
}

