/**
 * The full sort: a stable LSD radix sort of a Uint32Array permutation, O(n) per digit.
 * A comparator sort (`Uint32Array.sort(cmp)`) calls back into JS ~n·log n times and took
 * ~1 s for 1M rows; radix passes are plain typed-array loops.
 *
 * Every key value is a JS number; its float64 bits, transformed so that unsigned order is
 * numeric order (flip the sign bit of positives, all bits of negatives), give two 32-bit words
 * = six digits of 10–11 bits. -0 is read as 0 and every NaN as the canonical one, which lands above
 * +Infinity as DuckDB orders it; descending inverts the bits. Nulls take one more 3-bucket
 * pass (first / value / last). Keys are applied least significant first; since each pass is
 * stable, the result is ordered by all keys and ties keep input order. Passes whose digit is
 * the same for every row (small ints, string ranks) are skipped.
 */
import { getBit } from '../../formats/raw.js';
import type { SortKey } from './sort-keys.js';

/** Digits of 11, 11 and 10 bits per 32-bit word: 2048 buckets keep the scatter's write heads in cache. */
const DIGITS: readonly { shift: number; mask: number }[] = [
  { shift: 0, mask: 0x7ff },
  { shift: 11, mask: 0x7ff },
  { shift: 22, mask: 0x3ff },
];
const BUCKETS = 0x800;

export function radixSortOrder(keys: readonly SortKey[], numRows: number, signal: AbortSignal): Uint32Array {
  let order = new Uint32Array(numRows);
  for (let i = 0; i < numRows; i++) order[i] = i;
  let orderSpare = new Uint32Array(numRows);
  // The words travel with the permutation so that every pass reads sequentially; only the
  // one gather per key into the current order reads at random.
  let hi = new Uint32Array(numRows);
  let lo = new Uint32Array(numRows);
  let hiSpare = new Uint32Array(numRows);
  let loSpare = new Uint32Array(numRows);
  const counts = new Uint32Array(6 * BUCKETS);
  for (let k = keys.length - 1; k >= 0; k--) {
    signal.throwIfAborted();
    const nullClass = encode(keys[k]!, hiSpare, loSpare);
    for (let i = 0; i < numRows; i++) {
      hi[i] = hiSpare[order[i]!]!;
      lo[i] = loSpare[order[i]!]!;
    }
    countDigits(hi, lo, counts);
    for (let pass = 0; pass < 6; pass++) {
      const count = counts.subarray(pass * BUCKETS, (pass + 1) * BUCKETS);
      if (!spread(count, numRows)) continue;
      const { shift, mask } = DIGITS[pass % 3]!;
      if (pass < 3) {
        scatter(lo, shift, mask, count, order, orderSpare, hi, hiSpare, lo, loSpare);
        [lo, loSpare] = [loSpare, lo];
      } else {
        scatter(hi, shift, mask, count, order, orderSpare, hi, hiSpare);
      }
      [order, orderSpare] = [orderSpare, order];
      [hi, hiSpare] = [hiSpare, hi];
    }
    if (nullClass) {
      const count = new Uint32Array(3);
      for (let r = 0; r < numRows; r++) count[nullClass[r]!]!++;
      if (!spread(count, numRows)) continue;
      for (let i = 0; i < numRows; i++) hi[i] = nullClass[order[i]!]!;
      scatter(hi, 0, 3, count, order, orderSpare);
      [order, orderSpare] = [orderSpare, order];
    }
  }
  return order;
}

/** Writes the sortable words of every row; returns each row's null class (0 first, 1 value, 2 last) when there are nulls. */
function encode(key: SortKey, hi: Uint32Array, lo: Uint32Array): Uint8Array | null {
  const scratch = new Float64Array(1);
  const bits = new Uint32Array(scratch.buffer);
  const flip = key.desc ? 0xffffffff : 0;
  const nullClass = key.chunks.some((c) => c.validity !== null) ? new Uint8Array(hi.length).fill(1) : null;
  const nullAt = key.nullsFirst ? 0 : 2;
  let base = 0;
  for (const { length, values, validity, offset } of key.chunks) {
    for (let i = 0; i < length; i++) {
      const r = base + i;
      if (validity !== null && !getBit(validity, offset + i)) {
        nullClass![r] = nullAt;
        hi[r] = 0;
        lo[r] = 0;
        continue;
      }
      const v = values[i]!;
      scratch[0] = v === 0 ? 0 : v === v ? v : NaN;
      const h = bits[1]!;
      const negative = h >>> 31 === 1;
      hi[r] = ((negative ? ~h : h | 0x80000000) ^ flip) >>> 0;
      lo[r] = ((negative ? ~bits[0]! : bits[0]!) ^ flip) >>> 0;
    }
    base += length;
  }
  return nullClass;
}

/** One sequential read fills the histograms of all six digits. */
function countDigits(hi: Uint32Array, lo: Uint32Array, counts: Uint32Array): void {
  counts.fill(0);
  for (let r = 0; r < hi.length; r++) {
    const l = lo[r]!;
    const h = hi[r]!;
    counts[l & 0x7ff]!++;
    counts[BUCKETS + ((l >>> 11) & 0x7ff)]!++;
    counts[2 * BUCKETS + (l >>> 22)]!++;
    counts[3 * BUCKETS + (h & 0x7ff)]!++;
    counts[4 * BUCKETS + ((h >>> 11) & 0x7ff)]!++;
    counts[5 * BUCKETS + (h >>> 22)]!++;
  }
}

/** Turns counts into bucket starts; false when one bucket holds every row (the pass would change nothing). */
function spread(count: Uint32Array, numRows: number): boolean {
  let sum = 0;
  for (let d = 0; d < count.length; d++) {
    const c = count[d]!;
    if (c === numRows) return false;
    count[d] = sum;
    sum += c;
  }
  return true;
}

/**
 * Stable scatter by each position's digit `(digits[i] >>> shift) & mask`: the permutation
 * moves from `from` to `to`, and so do the word arrays given after it.
 */
function scatter(digits: Uint32Array, shift: number, mask: number, starts: Uint32Array, from: Uint32Array, to: Uint32Array, ...carried: Uint32Array[]): void {
  const [a, aTo, b, bTo] = carried;
  for (let i = 0; i < from.length; i++) {
    const p = starts[(digits[i]! >>> shift) & mask]!++;
    to[p] = from[i]!;
    if (a && aTo) aTo[p] = a[i]!;
    if (b && bTo) bTo[p] = b[i]!;
  }
}
