/**
 * The hot loops of count/sum/avg (aggregate-metrics.ts, aggregate-codes.ts, the fused join →
 * aggregate in fused/key-partials.ts): `sum[slot] += v[i]; count[slot]++` over the valid rows
 * of one batch. Validity is read a byte (8 rows) at a time, and a full byte's 8 rows run as
 * 8 straight-line statements: no per-row bit test, no loop counter, and with `shift` 2 each
 * of the 8 rows adds into a fixed lane (row j of the block into lane j % 4), so consecutive
 * rows of one group do not wait on each other. With lanes, the sums go to module-level scratch
 * arrays first (see S_SUM below); without (many groups), sum-kernels-direct.ts adds in place.
 */

import { sumIntoParams, sumKeysParams, sumSelectedParams } from './sum-kernels-direct.js';

/** Lane scratch for up to this many slots (4 lanes each). */
export const SCRATCH_SLOTS = 4096;
/**
 * Module constants, not parameters: V8 compiles loops that add into a constant typed array
 * against its fixed buffer, and measured the 4-lane loops ~1.8× faster that way than the same
 * loops over arrays passed in. So the lane sums of one call go here first, then are added to
 * the caller's arrays (a few thousand slots, once per batch).
 */
const S_SUM = new Float64Array(4 * SCRATCH_SLOTS);
const S_COUNT = new Float64Array(4 * SCRATCH_SLOTS);
const S_NULLS = new Float64Array(SCRATCH_SLOTS);

/**
 * sum[slot] += v[i], count[slot]++ over valid rows, slot = (ids[i] << shift) | lane (shift 0
 * or 2); `nulls[ids[i]]++` over null rows when given. `bits` is the validity bitmap (null: no
 * nulls), indexed from bit `off`. Ids are below `slots`.
 */
export function sumInto(sum: Float64Array, count: Float64Array, v: ArrayLike<number>, bits: Uint8Array | null, off: number, ids: Int32Array, shift: number, nulls?: Float64Array, slots = sum.length >> shift): void {
  if (shift !== 2 || slots > SCRATCH_SLOTS) return sumIntoParams(sum, count, v, bits, off, ids, shift, nulls);
  clearScratch(slots);
  scratchSumInto(v, bits, off, ids, nulls !== undefined);
  addScratch(sum, count, nulls, slots);
}

/**
 * Like sumInto, for join keys that may be anything (fused/key-partials.ts): `keys[i]` is used
 * when it lies in [0, size), and every other key (out of range, -1 for no match) goes to slot
 * `size`. `size` is a power of two, so a block of 8 in-range keys is told by one OR.
 */
export function sumKeys(sum: Float64Array, count: Float64Array, v: ArrayLike<number>, bits: Uint8Array | null, off: number, keys: Int32Array, size: number, shift: number, nulls?: Float64Array): void {
  if (shift !== 2 || size + 1 > SCRATCH_SLOTS) return sumKeysParams(sum, count, v, bits, off, keys, size, shift, nulls);
  clearScratch(size + 1);
  scratchSumKeys(v, bits, off, keys, size, nulls !== undefined);
  addScratch(sum, count, nulls, size + 1);
}

/**
 * sumInto over the selected rows only: row `rows[k] - start` of the batch for each k (a
 * filter's selection, increasing), lanes by k. Nothing is copied: values, validity and ids are
 * read where they lie.
 */
export function sumSelected(sum: Float64Array, count: Float64Array, v: ArrayLike<number>, bits: Uint8Array | null, off: number, ids: Int32Array, rows: Uint32Array, start: number, shift: number, nulls?: Float64Array, slots = sum.length >> shift): void {
  if (shift !== 2 || slots > SCRATCH_SLOTS) return sumSelectedParams(sum, count, v, bits, off, ids, rows, start, shift, nulls);
  clearScratch(slots);
  scratchSumSelected(v, bits, off, ids, rows, start, nulls !== undefined);
  addScratch(sum, count, nulls, slots);
}

function clearScratch(slots: number): void {
  S_SUM.fill(0, 0, 4 * slots);
  S_COUNT.fill(0, 0, 4 * slots);
  S_NULLS.fill(0, 0, slots);
}

function addScratch(sum: Float64Array, count: Float64Array, nulls: Float64Array | undefined, slots: number): void {
  for (let l = 0; l < 4 * slots; l++) {
    sum[l] += S_SUM[l]!;
    count[l] += S_COUNT[l]!;
  }
  if (nulls) for (let s = 0; s < slots; s++) nulls[s] += S_NULLS[s]!;
}

function scratchSumInto(v: ArrayLike<number>, bits: Uint8Array | null, off: number, ids: Int32Array, withNulls: boolean): void {
  const n = ids.length;
  let i = 0;
  if (bits !== null) for (; i < n && ((off + i) & 7) !== 0; i++) scratchOne(v, bits, off, ids[i]!, i, withNulls);
  for (; i + 8 <= n; i += 8) {
    const byte = bits === null ? 0xff : bits[(off + i) >> 3]!;
    if (byte === 0xff) scratch8(v, ids, i);
    else for (let j = i; j < i + 8; j++) scratchOne(v, bits, off, ids[j]!, j, withNulls);
  }
  for (; i < n; i++) scratchOne(v, bits, off, ids[i]!, i, withNulls);
}

function scratchSumKeys(v: ArrayLike<number>, bits: Uint8Array | null, off: number, keys: Int32Array, size: number, withNulls: boolean): void {
  const n = keys.length;
  let i = 0;
  if (bits !== null) for (; i < n && ((off + i) & 7) !== 0; i++) scratchOne(v, bits, off, keys[i]! >>> 0 < size ? keys[i]! : size, i, withNulls);
  for (; i + 8 <= n; i += 8) {
    const any = keys[i]! | keys[i + 1]! | keys[i + 2]! | keys[i + 3]! | keys[i + 4]! | keys[i + 5]! | keys[i + 6]! | keys[i + 7]!;
    const byte = bits === null ? 0xff : bits[(off + i) >> 3]!;
    if (byte === 0xff && any >>> 0 < size) scratch8(v, keys, i);
    else for (let j = i; j < i + 8; j++) scratchOne(v, bits, off, keys[j]! >>> 0 < size ? keys[j]! : size, j, withNulls);
  }
  for (; i < n; i++) scratchOne(v, bits, off, keys[i]! >>> 0 < size ? keys[i]! : size, i, withNulls);
}

function scratchSumSelected(v: ArrayLike<number>, bits: Uint8Array | null, off: number, ids: Int32Array, rows: Uint32Array, start: number, withNulls: boolean): void {
  const n = rows.length;
  for (let k = 0; k < n; k++) {
    const i = rows[k]! - start;
    const bit = off + i;
    if (bits !== null && (bits[bit >> 3]! & (1 << (bit & 7))) === 0) {
      if (withNulls) S_NULLS[ids[i]!]++;
      continue;
    }
    const slot = (ids[i]! << 2) | (k & 3);
    S_SUM[slot] += v[i]!;
    S_COUNT[slot]++;
  }
}

/** Row i of id `id` into lane i % 4 (or, null, into the null count). */
function scratchOne(v: ArrayLike<number>, bits: Uint8Array | null, off: number, id: number, i: number, withNulls: boolean): void {
  if (bits !== null && (bits[(off + i) >> 3]! & (1 << ((off + i) & 7))) === 0) {
    if (withNulls) S_NULLS[id]++;
    return;
  }
  const slot = (id << 2) | (i & 3);
  S_SUM[slot] += v[i]!;
  S_COUNT[slot]++;
}

function scratch8(v: ArrayLike<number>, ids: Int32Array, i: number): void {
  let s = ids[i]! << 2;
  S_SUM[s] += v[i]!;
  S_COUNT[s]++;
  s = (ids[i + 1]! << 2) | 1;
  S_SUM[s] += v[i + 1]!;
  S_COUNT[s]++;
  s = (ids[i + 2]! << 2) | 2;
  S_SUM[s] += v[i + 2]!;
  S_COUNT[s]++;
  s = (ids[i + 3]! << 2) | 3;
  S_SUM[s] += v[i + 3]!;
  S_COUNT[s]++;
  s = ids[i + 4]! << 2;
  S_SUM[s] += v[i + 4]!;
  S_COUNT[s]++;
  s = (ids[i + 5]! << 2) | 1;
  S_SUM[s] += v[i + 5]!;
  S_COUNT[s]++;
  s = (ids[i + 6]! << 2) | 2;
  S_SUM[s] += v[i + 6]!;
  S_COUNT[s]++;
  s = (ids[i + 7]! << 2) | 3;
  S_SUM[s] += v[i + 7]!;
  S_COUNT[s]++;
}

/** rows[(key << shift) | lane]++ for every row, keys outside [0, size) into slot `size` (a bare count). */
export function countKeys(rows: Float64Array, keys: Int32Array, size: number, shift: number): void {
  const lane = (1 << shift) - 1;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]! >>> 0 < size ? keys[i]! : size;
    rows[(key << shift) | (i & lane)]++;
  }
}

/** counts[(ids[i] << shift) | lane]++ for the selected rows `rows[k] - start`. */
export function countSelected(counts: Float64Array, ids: Int32Array, rows: Uint32Array, start: number, shift: number): void {
  const lane = (1 << shift) - 1;
  for (let k = 0; k < rows.length; k++) counts[(ids[rows[k]! - start]! << shift) | (k & lane)]++;
}
