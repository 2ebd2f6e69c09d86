/**
 * Flat Parquet columns straight to Arrow (DESIGN §10): page bytes → typed arrays, validity
 * bitmaps and UTF-8 buffers, with no JS value per row. Covers the common shapes — top-level
 * non-repeated INT32 / INT64 / FLOAT / DOUBLE / BOOLEAN / UTF-8 BYTE_ARRAY columns without a
 * converting logical type, PLAIN or dictionary-encoded — and returns undefined for anything
 * else, which the caller then reads through hyparquet as before. The output is the same Arrow
 * data hyparquet + the builders in columns.ts produce, value for value and type for type.
 *
 * A `selection` (sorted row numbers within the group) gathers only those rows: a filter
 * evaluated first on its own columns decides which rows the other columns materialize, and
 * pages without a selected row are never decompressed.
 */
import type * as arrow from 'apache-arrow';
import type { CompressionCodec, SchemaTree } from 'hyparquet';
import { FixedSink } from './parquet-flat-fixed.js';
import { StringSink } from './parquet-flat-strings.js';
import { walkPages, type DataPageView } from './parquet-pages.js';
import type { ParquetKind } from './parquet-types.js';

export type FlatPhysical = 'BOOLEAN' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY';

export interface FlatSpec {
  physical: FlatPhysical;
  kind: ParquetKind;
  /** Maximum definition level 1 (OPTIONAL); REQUIRED columns carry no levels. */
  optional: boolean;
}

/**
 * Where a page's selected rows land: output index `base + j` (j < count) takes value slot
 * `slots[j]` (-1: null), or slot `first + j` when `slots` is null — consecutive rows without
 * a null (every row of such a page, or a block of it a range filter kept), whose values can
 * be copied as one block. `needed` is one past the highest slot used, so decoders can stop
 * there; `first` is the lowest slot used (`needed` when none is), so they may step over the
 * slots before it.
 */
export interface PageSlots {
  base: number;
  count: number;
  slots: Int32Array | null;
  needed: number;
  first: number;
}

export interface ColumnSink {
  dictionary(values: Uint8Array, count: number): boolean;
  page(page: DataPageView, at: PageSlots): boolean;
  finish(dataPages: number): arrow.Data;
}

/** The fast path's description of a column, or undefined when hyparquet must read it. */
export function flatSpecOf(node: SchemaTree, kind: ParquetKind): FlatSpec | undefined {
  const { type, converted_type: converted, logical_type: logical, repetition_type: repetition } = node.element;
  if (node.children.length > 0 || repetition === 'REPEATED' || !type) return undefined;
  const optional = repetition !== 'REQUIRED';
  const plain = converted === undefined && logical === undefined;
  switch (type) {
    case 'BOOLEAN':
      return plain && kind === 'bool' ? { physical: type, kind, optional } : undefined;
    case 'FLOAT':
    case 'DOUBLE':
      return plain && kind === 'float64' ? { physical: type, kind, optional } : undefined;
    case 'INT32': {
      const integer = (converted === undefined || ['INT_8', 'INT_16', 'INT_32', 'UINT_8', 'UINT_16'].includes(converted)) &&
        (logical === undefined || (logical.type === 'INTEGER' && (logical.isSigned || logical.bitWidth < 32)));
      return integer && kind === 'int32' ? { physical: type, kind, optional } : undefined;
    }
    case 'INT64': {
      const integer = (converted === undefined || converted === 'INT_64') && (logical === undefined || (logical.type === 'INTEGER' && logical.isSigned));
      return integer && (kind === 'int64' || kind === 'float64') ? { physical: type, kind, optional } : undefined;
    }
    case 'BYTE_ARRAY': {
      const text = (converted === undefined || converted === 'UTF8' || converted === 'ENUM') && (logical === undefined || logical.type === 'STRING' || logical.type === 'ENUM');
      return text && kind === 'string' ? { physical: type, kind, optional } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * One column chunk → Arrow, or undefined when it uses something this path does not decode (the
 * caller falls back to hyparquet). Corrupt data throws.
 */
export function decodeFlat(chunk: Uint8Array, codec: CompressionCodec, spec: FlatSpec, groupRows: number, selection?: Int32Array): arrow.Data | undefined {
  const length = selection ? selection.length : groupRows;
  const sink: ColumnSink = spec.physical === 'BYTE_ARRAY' ? new StringSink(length) : new FixedSink(spec, length);
  let cursor = 0;
  let dataPages = 0;
  const wanted = (rowStart: number, rows: number): boolean => {
    dataPages++;
    if (!selection) return true;
    while (cursor < selection.length && selection[cursor]! < rowStart) cursor++;
    return cursor < selection.length && selection[cursor]! < rowStart + rows;
  };
  const ok = walkPages(chunk, codec, spec.optional, groupRows, wanted, {
    dictionary: (values, count) => sink.dictionary(values, count),
    data: (page) => {
      const at = slotsOf(page, selection, cursor);
      if (selection) cursor += at.count;
      return sink.page(page, at);
    },
  });
  return ok ? sink.finish(dataPages) : undefined;
}

/** The value slot of each selected row of `page` (prefix counts of the definition levels). */
function slotsOf(page: DataPageView, selection: Int32Array | undefined, from: number): PageSlots {
  const { rowStart, rows, defined } = page;
  if (!selection) {
    if (!defined) return { base: rowStart, count: rows, slots: null, needed: rows, first: 0 };
    const slots = new Int32Array(rows);
    let v = 0;
    for (let r = 0; r < rows; r++) slots[r] = defined[r] ? v++ : -1;
    return { base: rowStart, count: rows, slots, needed: v, first: 0 };
  }
  let to = from;
  while (to < selection.length && selection[to]! < rowStart + rows) to++;
  const count = to - from;
  // Selected rows ascend strictly: a span of exactly `count` rows is a block.
  if (!defined && count > 0 && selection[to - 1]! - selection[from]! === count - 1) {
    const first = selection[from]! - rowStart;
    return { base: from, count, slots: null, needed: first + count, first };
  }
  const slots = new Int32Array(count);
  let needed = 0;
  let first = -1;
  if (!defined) {
    for (let j = 0; j < slots.length; j++) slots[j] = selection[from + j]! - rowStart;
    needed = slots.length > 0 ? slots[slots.length - 1]! + 1 : 0;
    first = slots.length > 0 ? slots[0]! : needed;
  } else {
    let present = 0;
    let r = 0;
    for (let j = 0; j < slots.length; j++) {
      const row = selection[from + j]! - rowStart;
      for (; r < row; r++) present += defined[r]!;
      slots[j] = defined[row] ? present : -1;
      if (defined[row]) {
        needed = present + 1;
        if (first < 0) first = present;
      }
    }
    if (first < 0) first = needed;
  }
  return { base: from, count, slots, needed, first };
}
