/**
 * The common filter, one numeric comparison (`amount > 100`), straight to a selection vector:
 * one branch-free pass per batch writes every row number and advances the cursor only past the
 * matching ones (about half the rows may match, unpredictably), with no per-row truth byte in
 * between; rows whose cell is null are then dropped from the batch's picks. Same semantics as
 * the general evaluator (filter.ts): a comparison with a null cell is never true, NaN compares
 * as JS does.
 */
import type * as arrow from 'apache-arrow';
import { int64ToNumbers } from '../formats/raw.js';
import { nullBits } from './key-columns.js';
import type { FilterLeaf } from './filter-schema.js';

const OPS = new Set<FilterLeaf['op']>(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between']);

/** Whether `selectNumbers` handles the op. */
export const selectsDirectly = (op: FilterLeaf['op']): boolean => OPS.has(op);

/** Rows (table-wide, increasing) of the chunks whose value passes `op` against `literals`. */
export function selectNumbers(op: FilterLeaf['op'], literals: number[], chunks: readonly arrow.Data[]): Uint32Array {
  const picks: Uint32Array[] = [];
  let largest = 0;
  for (const data of chunks) largest = Math.max(largest, data.length);
  // One spare slot: every row is written, and only a passing one moves the cursor past it.
  const scratch = new Uint32Array(largest + 1);
  let total = 0;
  let base = 0;
  for (const data of chunks) {
    let k = pick(op, literals[0]!, literals[1]!, valuesOf(data), data.length, scratch, base);
    const bits = nullBits(data);
    if (bits !== null) k = dropNulls(scratch, k, bits, data.offset - base);
    picks.push(scratch.slice(0, k));
    total += k;
    base += data.length;
  }
  const rows = new Uint32Array(total);
  let at = 0;
  for (const p of picks) {
    rows.set(p, at);
    at += p.length;
  }
  return rows;
}

/** The chunk's values as numbers, read as the general evaluator reads them (64-bit ones converted). */
function valuesOf(data: arrow.Data): ArrayLike<number> {
  const raw = data.values as ArrayLike<number> | BigInt64Array | BigUint64Array;
  return raw instanceof BigInt64Array || raw instanceof BigUint64Array ? int64ToNumbers(raw, raw instanceof BigInt64Array) : raw;
}

function pick(op: FilterLeaf['op'], a: number, b: number, v: ArrayLike<number>, n: number, out: Uint32Array, base: number): number {
  let k = 0;
  switch (op) {
    case 'eq':
      for (let i = 0; i < n; i++) {
        out[k] = base + i;
        k += +(v[i] === a);
      }
      return k;
    case 'ne':
      for (let i = 0; i < n; i++) {
        out[k] = base + i;
        k += +(v[i] !== a);
      }
      return k;
    case 'lt':
      for (let i = 0; i < n; i++) {
        out[k] = base + i;
        k += +(v[i]! < a);
      }
      return k;
    case 'lte':
      for (let i = 0; i < n; i++) {
        out[k] = base + i;
        k += +(v[i]! <= a);
      }
      return k;
    case 'gt':
      for (let i = 0; i < n; i++) {
        out[k] = base + i;
        k += +(v[i]! > a);
      }
      return k;
    case 'gte':
      for (let i = 0; i < n; i++) {
        out[k] = base + i;
        k += +(v[i]! >= a);
      }
      return k;
    case 'between':
      for (let i = 0; i < n; i++) {
        out[k] = base + i;
        k += +(v[i]! >= a && v[i]! <= b);
      }
      return k;
    default:
      throw new Error(`unreachable numeric op ${op}`);
  }
}

/** Keeps the picks whose validity bit (at `shift` + row) is set; returns how many remain. */
function dropNulls(rows: Uint32Array, n: number, bits: Uint8Array, shift: number): number {
  let k = 0;
  for (let j = 0; j < n; j++) {
    const bit = rows[j]! + shift;
    rows[k] = rows[j]!;
    k += (bits[bit >> 3]! >> (bit & 7)) & 1;
  }
  return k;
}
