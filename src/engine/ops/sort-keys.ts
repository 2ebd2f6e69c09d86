/**
 * Sort keys over raw buffers (DESIGN §10). Each key column becomes, per batch, an array of
 * numbers that order like the column's values, plus that batch's validity bitmap:
 * - numbers, timestamps and dates are their own key (zero-copy, except 64-bit integers, which
 *   go through `int64ToNumbers`: exact below 2^53, beyond that neighbours may tie); bools 0/1;
 * - strings are ranks: the distinct values of all batches (each batch may carry its own
 *   dictionary) are indexed once by their UTF-8 bytes and sorted once in byte order, which is
 *   code-point order and DuckDB's default (binary) collation. Deterministic and locale-free,
 *   unlike `Intl.Collator`; comparing two rows then never touches a string.
 *
 * Placement follows DuckDB: NULLS LAST by default in both directions, NaN above every number
 * (so first when descending). A row's place is a class (nulls first < NaN-low < value <
 * NaN-high < nulls last) and, within the value class, its number.
 */
import * as arrow from 'apache-arrow';
import { getBit, newBitmap } from '../../formats/raw.js';
import { StringIndex, keyKind, nullBits, numberValues } from '../key-columns.js';
import { columnChunks } from '../keys.js';

export interface SortSpec {
  column: string;
  desc: boolean;
  nullsFirst: boolean;
}

export interface KeyChunk {
  length: number;
  /** Indexed from 0; meaningful only where the row is valid. */
  values: ArrayLike<number>;
  /** Validity bits (bit `offset + i`), or null when every row of the chunk is valid. */
  validity: Uint8Array | null;
  offset: number;
}

export interface SortKey extends SortSpec {
  /** One per table batch, aligned with `table.batches`. */
  chunks: KeyChunk[];
  /** Float columns may hold NaN; other columns never do, which spares a check. */
  mayHoldNaN: boolean;
}

export const NULLS_FIRST = 0;
export const NAN_LOW = 1;
export const VALUE = 2;
export const NAN_HIGH = 3;
export const NULLS_LAST = 4;

/** Columns must have passed `keyKind` at plan time. */
export function buildSortKeys(table: arrow.Table, specs: readonly SortSpec[]): SortKey[] {
  return specs.map((spec) => {
    const chunks = columnChunks(table, spec.column);
    const type = table.schema.fields.find((f) => f.name === spec.column)!.type;
    const kind = keyKind(type);
    const values = kind === 'string' ? stringRanks(chunks) : kind === 'null' ? chunks.map(() => new Float64Array(0)) : chunks.map(numberValues);
    return {
      ...spec,
      mayHoldNaN: arrow.DataType.isFloat(type),
      chunks: chunks.map((data, i) => ({ length: data.length, values: values[i]!, ...validityOf(data) })),
    };
  });
}

function validityOf(data: arrow.Data): { validity: Uint8Array | null; offset: number } {
  // Null-typed columns carry no bitmap although every row is null.
  if (arrow.DataType.isNull(data.type)) return { validity: newBitmap(data.length), offset: 0 };
  const bits = nullBits(data);
  return { validity: bits, offset: bits ? data.offset : 0 };
}

/** Per chunk, the byte-order rank of each row's string (-1 under nulls). */
function stringRanks(chunks: readonly arrow.Data[]): Int32Array[] {
  const index = new StringIndex(false);
  const ids = new Int32Array(chunks.reduce((n, d) => n + d.length, 0));
  index.build(chunks, ids);
  const byBytes = Array.from({ length: index.size }, (_, id) => id).sort((a, b) => index.compare(a, b));
  const rank = new Int32Array(index.size);
  byBytes.forEach((id, r) => (rank[id] = r));
  for (let i = 0; i < ids.length; i++) if (ids[i]! >= 0) ids[i] = rank[ids[i]!]!;
  let base = 0;
  return chunks.map((d) => ids.subarray(base, (base += d.length)));
}

/** The class of row `i` of a chunk (see the file comment). */
export function classAt(key: SortKey, chunk: KeyChunk, i: number): number {
  if (chunk.validity !== null && !getBit(chunk.validity, chunk.offset + i)) return key.nullsFirst ? NULLS_FIRST : NULLS_LAST;
  if (key.mayHoldNaN && Number.isNaN(chunk.values[i])) return key.desc ? NAN_LOW : NAN_HIGH;
  return VALUE;
}

/** Compares row `l1` of batch `b1` with row `l2` of batch `b2` on every key; 0 on a full tie. */
export function compareAt(keys: readonly SortKey[], b1: number, l1: number, b2: number, l2: number): number {
  for (const key of keys) {
    const c1 = key.chunks[b1]!;
    const c2 = key.chunks[b2]!;
    const k1 = classAt(key, c1, l1);
    const k2 = classAt(key, c2, l2);
    if (k1 !== k2) return k1 - k2;
    if (k1 !== VALUE) continue;
    const v1 = c1.values[l1]!;
    const v2 = c2.values[l2]!;
    if (v1 !== v2) return (v1 < v2) !== key.desc ? -1 : 1;
  }
  return 0;
}
