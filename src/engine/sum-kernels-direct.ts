/**
 * The sum loops of sum-kernels.ts adding straight into the caller's arrays: for no lanes (many
 * groups), or more slots than the lane scratch holds. Same contracts as the exported kernels
 * there; full validity bytes run 8 rows in straight-line code.
 */
/** sumInto into the caller's arrays directly (no lanes, or too many slots for the scratch). */
export function sumIntoParams(sum: Float64Array, count: Float64Array, v: ArrayLike<number>, bits: Uint8Array | null, off: number, ids: Int32Array, shift: number, nulls?: Float64Array): void {
  const n = ids.length;
  let i = 0;
  // Row by row up to a byte boundary, whole bytes in between, row by row at the end.
  if (bits !== null) for (; i < n && ((off + i) & 7) !== 0; i++) sumChecked(sum, count, v, bits, off, ids, shift, i, nulls);
  for (; i + 8 <= n; i += 8) {
    if (bits === null || bits[(off + i) >> 3] === 0xff) {
      if (shift === 2) sum8Lanes(sum, count, v, ids, i);
      else sum8(sum, count, v, ids, i);
    } else for (let j = i; j < i + 8; j++) sumChecked(sum, count, v, bits, off, ids, shift, j, nulls);
  }
  for (; i < n; i++) sumChecked(sum, count, v, bits, off, ids, shift, i, nulls);
}

function sum8Lanes(sum: Float64Array, count: Float64Array, v: ArrayLike<number>, ids: Int32Array, i: number): void {
  let s = ids[i]! << 2;
  sum[s] += v[i]!;
  count[s]++;
  s = (ids[i + 1]! << 2) | 1;
  sum[s] += v[i + 1]!;
  count[s]++;
  s = (ids[i + 2]! << 2) | 2;
  sum[s] += v[i + 2]!;
  count[s]++;
  s = (ids[i + 3]! << 2) | 3;
  sum[s] += v[i + 3]!;
  count[s]++;
  s = ids[i + 4]! << 2;
  sum[s] += v[i + 4]!;
  count[s]++;
  s = (ids[i + 5]! << 2) | 1;
  sum[s] += v[i + 5]!;
  count[s]++;
  s = (ids[i + 6]! << 2) | 2;
  sum[s] += v[i + 6]!;
  count[s]++;
  s = (ids[i + 7]! << 2) | 3;
  sum[s] += v[i + 7]!;
  count[s]++;
}

function sum8(sum: Float64Array, count: Float64Array, v: ArrayLike<number>, ids: Int32Array, i: number): void {
  for (let j = i; j < i + 8; j++) {
    sum[ids[j]!] += v[j]!;
    count[ids[j]!]++;
  }
}

function sumChecked(sum: Float64Array, count: Float64Array, v: ArrayLike<number>, bits: Uint8Array | null, off: number, ids: Int32Array, shift: number, i: number, nulls?: Float64Array): void {
  if (bits !== null && (bits[(off + i) >> 3]! & (1 << ((off + i) & 7))) === 0) {
    if (nulls) nulls[ids[i]!]++;
    return;
  }
  const slot = (ids[i]! << shift) | (i & ((1 << shift) - 1));
  sum[slot] += v[i]!;
  count[slot]++;
}

/** sumKeys into the caller's arrays directly. */
export function sumKeysParams(sum: Float64Array, count: Float64Array, v: ArrayLike<number>, bits: Uint8Array | null, off: number, keys: Int32Array, size: number, shift: number, nulls?: Float64Array): void {
  const n = keys.length;
  let i = 0;
  if (bits !== null) for (; i < n && ((off + i) & 7) !== 0; i++) sumKeyChecked(sum, count, v, bits, off, keys, size, shift, i, nulls);
  for (; i + 8 <= n; i += 8) {
    const any = keys[i]! | keys[i + 1]! | keys[i + 2]! | keys[i + 3]! | keys[i + 4]! | keys[i + 5]! | keys[i + 6]! | keys[i + 7]!;
    if ((any >>> 0) < size && (bits === null || bits[(off + i) >> 3] === 0xff)) {
      if (shift === 2) sum8Lanes(sum, count, v, keys, i);
      else sum8(sum, count, v, keys, i);
    } else for (let j = i; j < i + 8; j++) sumKeyChecked(sum, count, v, bits, off, keys, size, shift, j, nulls);
  }
  for (; i < n; i++) sumKeyChecked(sum, count, v, bits, off, keys, size, shift, i, nulls);
}

function sumKeyChecked(sum: Float64Array, count: Float64Array, v: ArrayLike<number>, bits: Uint8Array | null, off: number, keys: Int32Array, size: number, shift: number, i: number, nulls?: Float64Array): void {
  const key = keys[i]! >>> 0 < size ? keys[i]! : size;
  if (bits !== null && (bits[(off + i) >> 3]! & (1 << ((off + i) & 7))) === 0) {
    if (nulls) nulls[key]++;
    return;
  }
  const slot = (key << shift) | (i & ((1 << shift) - 1));
  sum[slot] += v[i]!;
  count[slot]++;
}

/** sumSelected into the caller's arrays directly. */
export function sumSelectedParams(sum: Float64Array, count: Float64Array, v: ArrayLike<number>, bits: Uint8Array | null, off: number, ids: Int32Array, rows: Uint32Array, start: number, shift: number, nulls?: Float64Array): void {
  const lane = (1 << shift) - 1;
  const n = rows.length;
  if (bits === null) {
    for (let k = 0; k < n; k++) {
      const i = rows[k]! - start;
      const slot = (ids[i]! << shift) | (k & lane);
      sum[slot] += v[i]!;
      count[slot]++;
    }
    return;
  }
  for (let k = 0; k < n; k++) {
    const i = rows[k]! - start;
    const bit = off + i;
    if ((bits[bit >> 3]! & (1 << (bit & 7))) === 0) {
      if (nulls) nulls[ids[i]!]++;
      continue;
    }
    const slot = (ids[i]! << shift) | (k & lane);
    sum[slot] += v[i]!;
    count[slot]++;
  }
}

