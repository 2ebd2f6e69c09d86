/**
 * Top-k order (the full sort is in sort-radix.ts): table-wide row numbers of the k first rows,
 * stable (ties keep input order). One pass with a bounded max-heap of the k best rows so far
 * (its root is the worst of them), O(n log k). Most rows lose to the root on the first key
 * alone, which a tight loop over the raw column checks without a call; only possible winners
 * get a full compare.
 */
import { getBit } from '../../formats/raw.js';
import { VALUE, classAt, compareAt, type SortKey } from './sort-keys.js';

/** Rows per stretch between checks of the abort signal. */
const STRETCH = 1 << 16;

export function topKOrder(keys: readonly SortKey[], batchRows: readonly number[], k: number, signal: AbortSignal): Uint32Array {
  const heap = new RowHeap(keys, k);
  const primary = keys[0]!;
  const sign = primary.desc ? -1 : 1;
  const single = keys.length === 1;
  let threshold = 0;
  let tieLoses = false;
  const refresh = (): void => {
    // A candidate in the value class whose normalized first key is above `threshold` loses to
    // the root outright; on equality it loses too when the root is a value and there is no
    // second key (it comes later, and ties keep input order).
    const root = primary.chunks[heap.rootBatch()]!;
    const cls = classAt(primary, root, heap.rootRow());
    threshold = cls === VALUE ? sign * root.values[heap.rootRow()]! : cls < VALUE ? -Infinity : Infinity;
    tieLoses = single && cls === VALUE;
  };
  for (let b = 0; b < batchRows.length; b++) {
    const chunk = primary.chunks[b]!;
    const { values, validity, offset } = chunk;
    const n = batchRows[b]!;
    for (let start = 0; start < n; start += STRETCH) {
      signal.throwIfAborted();
      const end = Math.min(n, start + STRETCH);
      let i = start;
      for (; i < end && !heap.full(); i++) {
        heap.push(b, i);
        if (heap.full()) refresh();
      }
      for (; i < end; i++) {
        if (validity === null || getBit(validity, offset + i)) {
          const x = sign * values[i]!;
          // NaN fails both tests and goes on to the full compare, which places it.
          if (x > threshold || (tieLoses && x === threshold)) continue;
        }
        if (heap.offer(b, i)) refresh();
      }
    }
  }
  return heap.sortedRows(batchRows);
}

/** A max-heap of (batch, row) pairs under the sort order, ties broken by position. */
class RowHeap {
  private readonly batches: Uint32Array;
  private readonly rows: Uint32Array;
  private size = 0;

  constructor(
    private readonly keys: readonly SortKey[],
    private readonly capacity: number,
  ) {
    this.batches = new Uint32Array(capacity);
    this.rows = new Uint32Array(capacity);
  }

  full(): boolean {
    return this.size === this.capacity;
  }
  rootBatch(): number {
    return this.batches[0]!;
  }
  rootRow(): number {
    return this.rows[0]!;
  }

  /** Positive when (b1, r1) sorts after (b2, r2). */
  private compare(b1: number, r1: number, b2: number, r2: number): number {
    return compareAt(this.keys, b1, r1, b2, r2) || b1 - b2 || r1 - r2;
  }

  push(b: number, r: number): void {
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.compare(b, r, this.batches[parent]!, this.rows[parent]!) <= 0) break;
      this.batches[i] = this.batches[parent]!;
      this.rows[i] = this.rows[parent]!;
      i = parent;
    }
    this.batches[i] = b;
    this.rows[i] = r;
  }

  /** Replaces the root when (b, r) sorts before it; says whether it did. */
  offer(b: number, r: number): boolean {
    if (this.compare(b, r, this.batches[0]!, this.rows[0]!) >= 0) return false;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const worse = right < this.size && this.compare(this.batches[right]!, this.rows[right]!, this.batches[left]!, this.rows[left]!) > 0 ? right : left;
      if (this.compare(this.batches[worse]!, this.rows[worse]!, b, r) <= 0) break;
      this.batches[i] = this.batches[worse]!;
      this.rows[i] = this.rows[worse]!;
      i = worse;
    }
    this.batches[i] = b;
    this.rows[i] = r;
    return true;
  }

  /** The held rows, best first, as table-wide row numbers. */
  sortedRows(batchRows: readonly number[]): Uint32Array {
    const starts: number[] = [];
    let total = 0;
    for (const n of batchRows) {
      starts.push(total);
      total += n;
    }
    const slots = Array.from({ length: this.size }, (_, i) => i);
    slots.sort((x, y) => this.compare(this.batches[x]!, this.rows[x]!, this.batches[y]!, this.rows[y]!));
    return Uint32Array.from(slots, (s) => starts[this.batches[s]!]! + this.rows[s]!);
  }
}
