/**
 * Partial aggregates per join key, for the fused join → aggregate road (join-aggregate.ts).
 * Left rows arrive a batch at a time with their key ids, unchecked (JoinSource.keysOf): slots
 * 0..size-1 are key ids (size: a power of two at or above the id bound) and slot `size` takes
 * every other id (null or absent keys), so the one pass over the batch both sums and finds the
 * misses. Each slot accumulates its row count and, per summed column, the sum and count of its
 * non-null values, and remembers its first left row, so keys can later be folded into groups in
 * the order the joined rows would have shown them. With few slots, sums go into four lanes, as
 * in aggregate-metrics.ts, so consecutive rows of one key do not wait on each other.
 */
import type * as arrow from 'apache-arrow';
import { nullBits, numberValues } from '../key-columns.js';
import { countKeys, SCRATCH_SLOTS, sumKeys } from '../sum-kernels.js';

export class KeyPartials {
  /** Slot of every key id that has no right row (ids at or above the bound, -1). */
  readonly missSlot: number;
  private readonly shift: number;
  private readonly rows: Float64Array;
  private readonly sums: { sum: Float64Array; count: Float64Array }[];
  private readonly nulls: Float64Array;
  private readonly first: Float64Array;

  /** `bound`: key ids are below it; `columns`: how many columns are summed. */
  constructor(bound: number, columns: number) {
    let size = 1;
    while (size < bound) size *= 2;
    this.missSlot = size;
    // Lanes as long as the kernels' lane scratch holds every slot.
    this.shift = size + 1 <= SCRATCH_SLOTS ? 2 : 0;
    const laneSize = (size + 1) << this.shift;
    this.rows = new Float64Array(columns === 0 ? laneSize : 0);
    this.sums = Array.from({ length: columns }, () => ({ sum: new Float64Array(laneSize), count: new Float64Array(laneSize) }));
    this.nulls = new Float64Array(size + 1);
    this.first = new Float64Array(size + 1).fill(-1);
  }

  /** One left batch starting at table row `base`: its rows' key ids and each summed column's chunk. */
  add(keys: Int32Array, values: readonly arrow.Data[], base: number): void {
    if (keys.length === 0) return;
    const size = this.missSlot;
    this.sums.forEach(({ sum, count }, c) => {
      const data = values[c]!;
      sumKeys(sum, count, numberValues(data), nullBits(data), data.offset, keys, size, this.shift, c === 0 ? this.nulls : undefined);
    });
    if (this.sums.length === 0) countKeys(this.rows, keys, size, this.shift);
    this.noteFirst(keys, base);
  }

  /** Slots that had rows, in order of their first left row. */
  usedSlots(): Int32Array {
    const used: number[] = [];
    for (let s = 0; s <= this.missSlot; s++) if (this.first[s]! >= 0) used.push(s);
    return Int32Array.from(used.sort((a, b) => this.first[a]! - this.first[b]!));
  }

  rowsOf(slot: number): number {
    return this.sums.length === 0 ? laneTotal(this.rows, slot, this.shift) : laneTotal(this.sums[0]!.count, slot, this.shift) + this.nulls[slot]!;
  }

  sumOf(column: number, slot: number): number {
    return laneTotal(this.sums[column]!.sum, slot, this.shift);
  }

  countOf(column: number, slot: number): number {
    return laneTotal(this.sums[column]!.count, slot, this.shift);
  }

  /**
   * Records the first left row of the slots new in this batch. With few slots the new ones are
   * found from the totals, and rows are read only until each is met (usually a few); with many,
   * every row is checked.
   */
  private noteFirst(keys: Int32Array, base: number): void {
    const first = this.first;
    const size = this.missSlot;
    let wanted = 0;
    if (this.shift > 0) {
      for (let s = 0; s <= size; s++) if (first[s]! < 0 && this.rowsOf(s) > 0) wanted++;
      if (wanted === 0) return;
    }
    for (let i = 0; i < keys.length; i++) {
      const s = keys[i]! >>> 0 < size ? keys[i]! : size;
      if (first[s]! >= 0) continue;
      first[s] = base + i;
      if (--wanted === 0) return;
    }
  }
}

function laneTotal(lanes: Float64Array, slot: number, shift: number): number {
  if (shift === 0) return lanes[slot]!;
  const at = slot << shift;
  return lanes[at]! + lanes[at + 1]! + lanes[at + 2]! + lanes[at + 3]!;
}
