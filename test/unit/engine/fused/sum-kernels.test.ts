/**
 * The unrolled sum loops (src/engine/sum-kernels.ts) against a plain per-row loop: random ids,
 * values and validity, bitmaps read from any bit offset (sliced chunks), lengths that are not
 * whole bytes, lanes and no lanes, few slots (the lane scratch) and many, keys out of range.
 */
import { describe, expect, it } from 'vitest';
import { countKeys, countSelected, sumInto, sumKeys, sumSelected } from '../../../../src/engine/sum-kernels.js';
import { seeded } from '../ops/step-tables.js';

const valid = (bits: Uint8Array | null, bit: number): boolean => bits === null || (bits[bit >> 3]! & (1 << (bit & 7))) !== 0;

/** Per-slot totals folded over lanes. */
function fold(lanes: Float64Array, slots: number, shift: number): number[] {
  return Array.from({ length: slots }, (_, s) => {
    let total = 0;
    for (let l = 0; l < 1 << shift; l++) total += lanes[(s << shift) | l]!;
    return total;
  });
}

/** Every fourth case has more slots than the lane scratch (the kernels then add into the caller's arrays). */
function randomCase(seed: number) {
  const random = seeded(seed);
  const n = Math.floor(random() * 300);
  const off = Math.floor(random() * 20);
  const slots = seed % 4 === 3 ? 5000 + Math.floor(random() * 100) : 1 + Math.floor(random() * 30);
  const ids = Int32Array.from({ length: n }, () => Math.floor(random() * slots));
  const v = Float64Array.from({ length: n }, () => Math.round(random() * 1000) / 8);
  const withNulls = random() < 0.7;
  let bits: Uint8Array | null = null;
  if (withNulls) {
    bits = new Uint8Array(Math.ceil((n + off) / 8) + 1);
    // Runs of valid bytes (the unrolled path) mixed with scattered nulls.
    for (let i = 0; i < n; i++) if (random() < (i % 64 < 32 ? 1 : 0.6)) bits[(off + i) >> 3]! |= 1 << ((off + i) & 7);
  }
  return { n, off, slots, ids, v, bits, random };
}

describe('sum kernels', () => {
  it.each(Array.from({ length: 60 }, (_, i) => i))('sumInto and sumKeys match a plain loop (case %i)', (seed) => {
    const { n, off, slots, ids, v, bits, random } = randomCase(seed);
    const want = { sum: new Array<number>(slots + 1).fill(0), count: new Array<number>(slots + 1).fill(0), nulls: new Array<number>(slots + 1).fill(0) };
    // Keys: some out of range (negative or past the power-of-two size), which sumKeys sends to slot `size`.
    let size = 1;
    while (size < slots) size *= 2;
    const keys = Int32Array.from(ids, (id) => (random() < 0.1 ? (random() < 0.5 ? -1 : size + 3) : id));
    const wantKeys = { sum: new Array<number>(size + 1).fill(0), count: new Array<number>(size + 1).fill(0), nulls: new Array<number>(size + 1).fill(0) };
    for (let i = 0; i < n; i++) {
      const slot = keys[i]! >= 0 && keys[i]! < size ? keys[i]! : size;
      if (!valid(bits, off + i)) {
        want.nulls[ids[i]!]!++;
        wantKeys.nulls[slot]!++;
        continue;
      }
      want.sum[ids[i]!]! += v[i]!;
      want.count[ids[i]!]!++;
      wantKeys.sum[slot]! += v[i]!;
      wantKeys.count[slot]!++;
    }
    for (const shift of [0, 2]) {
      const sum = new Float64Array((slots + 1) << shift);
      const count = new Float64Array((slots + 1) << shift);
      const nulls = new Float64Array(slots + 1);
      sumInto(sum, count, v, bits, off, ids, shift, nulls);
      expect(fold(sum, slots + 1, shift)).toEqual(want.sum);
      expect(fold(count, slots + 1, shift)).toEqual(want.count);
      expect(Array.from(nulls)).toEqual(want.nulls);

      const kSum = new Float64Array((size + 1) << shift);
      const kCount = new Float64Array((size + 1) << shift);
      const kNulls = new Float64Array(size + 1);
      sumKeys(kSum, kCount, v, bits, off, keys, size, shift, kNulls);
      expect(fold(kSum, size + 1, shift)).toEqual(wantKeys.sum);
      expect(fold(kCount, size + 1, shift)).toEqual(wantKeys.count);
      expect(Array.from(kNulls)).toEqual(wantKeys.nulls);
      const rows = new Float64Array((size + 1) << shift);
      countKeys(rows, keys, size, shift);
      expect(fold(rows, size + 1, shift)).toEqual(wantKeys.count.map((c, s) => c + wantKeys.nulls[s]!));
    }
  });

  it.each(Array.from({ length: 30 }, (_, i) => i))('sumSelected and countSelected read only the selected rows (case %i)', (seed) => {
    const { n, off, slots, ids, v, bits, random } = randomCase(seed + 1000);
    const start = Math.floor(random() * 1000);
    const picked = Array.from({ length: n }, (_, i) => i).filter(() => random() < 0.5);
    const rows = Uint32Array.from(picked, (i) => i + start);
    const want = { sum: new Array<number>(slots).fill(0), count: new Array<number>(slots).fill(0), nulls: new Array<number>(slots).fill(0), rows: new Array<number>(slots).fill(0) };
    for (const i of picked) {
      want.rows[ids[i]!]!++;
      if (!valid(bits, off + i)) want.nulls[ids[i]!]!++;
      else {
        want.sum[ids[i]!]! += v[i]!;
        want.count[ids[i]!]!++;
      }
    }
    const sum = new Float64Array(slots << 2);
    const count = new Float64Array(slots << 2);
    const nulls = new Float64Array(slots);
    sumSelected(sum, count, v, bits, off, ids, rows, start, 2, nulls);
    expect(fold(sum, slots, 2)).toEqual(want.sum);
    expect(fold(count, slots, 2)).toEqual(want.count);
    expect(Array.from(nulls)).toEqual(want.nulls);
    const counts = new Float64Array(slots << 2);
    countSelected(counts, ids, rows, start, 2);
    expect(fold(counts, slots, 2)).toEqual(want.rows);
  });
});
