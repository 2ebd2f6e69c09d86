/**
 * One key column → int32 value ids, read straight from the raw buffers of every batch
 * (DESIGN §10). An index is *built* over one set of batches (ids 0..size-1, -1 for null) and
 * can then *look up* another set (a join's probe side: -1 for null or absent), so both sides
 * of a join share one id space. Built ids follow first appearance, nulls included when they
 * form a group, so one GROUP BY column needs no renumbering.
 *
 * - numbers, temporals and bools by value (key-numbers.ts): int and float compare by value;
 *   integers in a narrow range skip hashing and index an array directly;
 * - text by UTF-8 bytes (key-strings.ts), so dictionary and plain columns meet; a dictionary
 *   is mapped once per *entry* (per-batch dictionaries included) and rows only follow codes;
 * - a Null-typed column is all nulls.
 */
import { NullIndex, NumberIndex } from './key-numbers.js';
import { StringIndex } from './key-strings.js';
import type { ColumnIndex, KeyKind } from './key-base.js';

export { BaseIndex, keyKind, nullBits, numberValues, textOffsets, type ColumnIndex, type KeyKind } from './key-base.js';
export { StringIndex } from './key-strings.js';

/** `nulls: 'group'` gives null an id (GROUP BY, DISTINCT); `'skip'` gives it -1 (join keys, metric values). */
export function columnIndex(kind: KeyKind, nulls: 'group' | 'skip'): ColumnIndex {
  const group = nulls === 'group';
  if (kind === 'string') return new StringIndex(group);
  if (kind === 'null') return new NullIndex(group);
  return new NumberIndex(group);
}
