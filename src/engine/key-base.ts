/**
 * What every key column index shares (src/engine/key-columns.ts): which types can be keys,
 * raw-buffer readers for values, validity and text offsets, and the index contract.
 */
import * as arrow from 'apache-arrow';
import { int64ToNumbers } from '../formats/raw.js';

export type KeyKind = 'number' | 'string' | 'bool' | 'timestamp' | 'date' | 'null';

/** The kind of value a key column holds, or undefined when it cannot be a key (lists, structs…). */
export function keyKind(type: arrow.DataType): KeyKind | undefined {
  if (arrow.DataType.isNull(type)) return 'null';
  if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type)) return 'number';
  if (isText(type)) return 'string';
  if (arrow.DataType.isDictionary(type)) return isText(type.dictionary) ? 'string' : undefined;
  if (arrow.DataType.isBool(type)) return 'bool';
  if (arrow.DataType.isTimestamp(type)) return 'timestamp';
  if (arrow.DataType.isDate(type)) return 'date';
  return undefined;
}

const isText = (type: arrow.DataType): boolean => arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type);

/** The validity bitmap of a chunk when it has nulls (index it with `data.offset + i`), else null. */
export function nullBits(data: arrow.Data): Uint8Array | null {
  const bits = data.nullBitmap;
  return data.nullCount > 0 && bits != null && bits.length > 0 ? bits : null;
}

/** A numeric, temporal or bool chunk's values as JS numbers (64-bit ones converted, exact below 2^53). */
export function numberValues(data: arrow.Data): ArrayLike<number> {
  const values = data.values as unknown;
  if (values instanceof BigInt64Array) return int64ToNumbers(values, true);
  if (values instanceof BigUint64Array) return int64ToNumbers(values, false);
  if (arrow.DataType.isBool(data.type)) {
    const out = new Uint8Array(data.length);
    const bits = values as Uint8Array;
    for (let i = 0, b = data.offset; i < data.length; i++, b++) out[i] = (bits[b >> 3]! >> (b & 7)) & 1;
    return out;
  }
  if (arrow.DataType.isFloat(data.type) && data.type.precision === arrow.Precision.HALF) {
    return Float64Array.from(values as Uint16Array, (h) => arrow.util.uint16ToFloat64(h));
  }
  return values as ArrayLike<number>;
}

export interface ColumnIndex {
  /** Ids handed out so far by `build`/`buildChunk` (the null id included when nulls form a group). */
  readonly size: number;
  /**
   * Looks once at every chunk the build will see, before `buildChunk` (integers in a narrow
   * range are then indexed by an array instead of hashed). Reads values, allocates nothing big.
   */
  prepare(chunks: readonly arrow.Data[]): void;
  /**
   * Writes the id of each row of `data` into `out` from `base`. Ids are numbered by first
   * appearance, so a single key column needs no renumbering; nulls get an id of their own
   * (a group, as in GROUP BY) or -1 (a join key, which never matches), as the index was made.
   */
  buildChunk(data: arrow.Data, out: Int32Array, base: number): void;
  /** Like prepare then buildChunk over every chunk. */
  build(chunks: readonly arrow.Data[], out: Int32Array): void;
  /** Like build, but adds nothing: -1 for nulls and values the build side lacks. Returns how many -1s it wrote. */
  lookup(chunks: readonly arrow.Data[], out: Int32Array): number;
}

export abstract class BaseIndex implements ColumnIndex {
  abstract readonly size: number;
  prepare(_chunks: readonly arrow.Data[]): void {}
  abstract buildChunk(data: arrow.Data, out: Int32Array, base: number): void;
  abstract lookup(chunks: readonly arrow.Data[], out: Int32Array): number;
  build(chunks: readonly arrow.Data[], out: Int32Array): void {
    this.prepare(chunks);
    let base = 0;
    for (const data of chunks) {
      this.buildChunk(data, out, base);
      base += data.length;
    }
  }
}

export const isValid = (bits: Uint8Array | null, bit: number): boolean => bits === null || (bits[bit >> 3]! & (1 << (bit & 7))) !== 0;

/** Offsets of a Utf8 or LargeUtf8 chunk as numbers (already sliced: index from 0). */
export function textOffsets(data: arrow.Data): ArrayLike<number> {
  const offsets = data.valueOffsets as unknown;
  return offsets instanceof BigInt64Array ? int64ToNumbers(offsets, true) : (offsets as Int32Array);
}
