/**
 * Right-side columns of a lookup join (no key repeats on the right): each right column is
 * gathered once per key id, and output rows then address it by their left row's key id.
 * Text columns go further: the per-key values become the dictionary and the key ids *are* the
 * codes, so where every left row matches a non-null value the output codes are the key-id
 * array itself, shared, with no per-row work at all. (Such a dictionary may repeat a value
 * under several codes; Arrow allows that, and every reader here compares values, not codes.)
 */
import * as arrow from 'apache-arrow';
import { newBitmap } from '../../formats/raw.js';
import { gatherColumn } from '../gather.js';
import { nullBits } from '../key-columns.js';

export interface KeyedColumn {
  type: arrow.DataType;
  /** Text: the value of each key id as a dictionary entry. */
  dictionary?: arrow.Vector;
  /** Text: which key ids have a non-null value; undefined when all do. */
  keyValid?: Uint8Array | undefined;
  /** Other types: the column's value for each key id (null for none). */
  byKey?: arrow.Data;
}

export function keyedColumn(chunks: readonly arrow.Data[], type: arrow.DataType, rightOfKey: Int32Array): KeyedColumn {
  const byKey = gatherColumn(chunks, type, rightOfKey);
  if (!arrow.DataType.isDictionary(type) || !arrow.DataType.isUtf8(type.dictionary)) return { type, byKey };
  const codes = byKey.values as Int32Array;
  const bits = nullBits(byKey);
  const entryRows = new Int32Array(rightOfKey.length);
  let keyValid: Uint8Array | undefined;
  for (let k = 0; k < entryRows.length; k++) {
    const valid = bits === null || (bits[k >> 3]! & (1 << (k & 7))) !== 0;
    entryRows[k] = valid ? codes[k]! : -1;
    if (!valid) (keyValid ??= new Uint8Array(entryRows.length).fill(1))[k] = 0;
  }
  const entries = gatherColumn(byKey.dictionary!.data, new arrow.Utf8(), entryRows);
  // Entries of null keys are empty strings: the rows that use them are masked null instead.
  const clean = arrow.makeData({ type: new arrow.Utf8(), length: entries.length, nullCount: 0, valueOffsets: entries.valueOffsets, data: entries.values });
  return { type, dictionary: arrow.makeVector(clean), keyValid };
}

/** The column for output rows whose key ids are `keys` (-1 = no match, null; `complete`: there is none). */
export function keyedBatch(column: KeyedColumn, keys: Int32Array, complete: boolean): arrow.Data {
  if (column.byKey) return gatherColumn([column.byKey], column.type, keys);
  const keyValid = column.keyValid;
  const length = keys.length;
  if (keyValid === undefined && complete) return arrow.makeData({ type: column.type as arrow.Dictionary, length, nullCount: 0, data: keys, dictionary: column.dictionary! });
  const codes = new Int32Array(length);
  const bitmap = newBitmap(length);
  let nulls = 0;
  for (let i = 0; i < length; i++) {
    const k = keys[i]!;
    if (k >= 0 && (keyValid === undefined || keyValid[k] === 1)) {
      codes[i] = k;
      bitmap[i >> 3]! |= 1 << (i & 7);
    } else nulls++;
  }
  return arrow.makeData({ type: column.type as arrow.Dictionary, length, nullCount: nulls, nullBitmap: nulls > 0 ? bitmap : null, data: codes, dictionary: column.dictionary! });
}
