/**
 * Shared by the column-shaping steps (select, rename, cast, derive, normalize): the zod pieces
 * for column names and `{column: value}` maps, the unknown-column error, and the assembly of
 * an output table batch by batch. Each output batch comes from one input batch, so a batch's
 * dictionaries travel with it and untouched columns are shared, never copied.
 */
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { nullColumn } from '../../formats/columns.js';
import { invalidArgument, type DataMcpError } from '../../results/errors.js';

export const MAX_NAME_LENGTH = 1024;
/** Most columns one step may name (select's list, a rename/cast map, …). */
export const MAX_STEP_COLUMNS = 1000;

export const columnName = z.string().min(1).max(MAX_NAME_LENGTH);

/**
 * A `{column: value}` map of 1..max entries. zod silently drops a `__proto__` key (it cannot
 * be an own property of the object it builds), which would make a step quietly skip a column:
 * such a key is refused instead, before the record is parsed.
 */
export function columnMap<T extends z.ZodType>(value: T, max: number) {
  return z.preprocess((input, ctx) => {
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
      if (Object.hasOwn(input, '__proto__')) {
        ctx.addIssue({ code: 'custom', message: 'a column named "__proto__" cannot be a key here; derive a copy under another name first: {"op":"derive","columns":{"proto":"\\"__proto__\\""}}' });
      }
      const count = Object.keys(input).length;
      if (count === 0 || count > max) ctx.addIssue({ code: 'custom', message: `name from 1 to ${max} columns (got ${count})` });
    }
    return input;
  }, z.record(columnName, value));
}

export function listColumns(schema: arrow.Schema): string {
  const names = schema.fields.map((f) => f.name);
  const shown = names.slice(0, 50).map((n) => JSON.stringify(n)).join(', ');
  return names.length > 50 ? `${shown}, … (${names.length - 50} more)` : shown || '(none)';
}

export function unknownColumn(name: string, schema: arrow.Schema, where: string): DataMcpError {
  return invalidArgument(
    `Unknown column ${JSON.stringify(name.slice(0, 200))} in ${where}.`,
    `Available columns: ${listColumns(schema)}. Column names are case-sensitive.`,
    { column: name.slice(0, 200) },
  );
}

/** Index of the first field named `name`, or throws the unknown-column error. */
export function fieldIndex(schema: arrow.Schema, name: string, where: string): number {
  const index = schema.fields.findIndex((f) => f.name === name);
  if (index < 0) throw unknownColumn(name, schema, where);
  return index;
}

/** Every step takes a map; own keys only, so inherited names never sneak in. */
export function entriesOf<V>(map: Record<string, V>): [string, V][] {
  return Object.keys(map).map((k) => [k, map[k]!]);
}

export interface BatchInfo {
  batch: arrow.RecordBatch;
  /** Table-wide number of the batch's first row (for error messages). */
  startRow: number;
  /** The batch's chunk of the first column with this name (undefined when absent). */
  chunk(name: string): arrow.Data | undefined;
}

/**
 * Builds the output table: one batch per input batch, with the children `build` returns in
 * the order of `schema`'s fields. Checks for cancellation between batches.
 */
export function mapBatches(input: arrow.Table, schema: arrow.Schema, build: (info: BatchInfo) => arrow.Data[], signal?: AbortSignal): arrow.Table {
  const batches: arrow.RecordBatch[] = [];
  let startRow = 0;
  for (const batch of input.batches) {
    signal?.throwIfAborted();
    const index = new Map<string, number>();
    batch.schema.fields.forEach((f, i) => {
      if (!index.has(f.name)) index.set(f.name, i);
    });
    const chunk = (name: string): arrow.Data | undefined => {
      const i = index.get(name);
      return i === undefined ? undefined : batch.data.children[i];
    };
    const children = build({ batch, startRow, chunk });
    const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: batch.numRows, nullCount: 0, children });
    batches.push(new arrow.RecordBatch(schema, struct));
    startRow += batch.numRows;
  }
  if (batches.length === 0) return emptyTable(schema);
  return new arrow.Table(schema, batches);
}

/** A table with `schema` and no rows (one empty batch, as the format readers produce). */
export function emptyTable(schema: arrow.Schema): arrow.Table {
  const children = schema.fields.map((f) => nullColumn(f.type, 0));
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: 0, nullCount: 0, children });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
}

/** Same type for the purpose of "plan equals run": dictionary ids do not count. */
export function sameType(a: arrow.DataType, b: arrow.DataType): boolean {
  if (arrow.DataType.isDictionary(a) && arrow.DataType.isDictionary(b)) {
    return arrow.util.compareTypes(a.dictionary, b.dictionary) && arrow.util.compareTypes(a.indices, b.indices);
  }
  return arrow.util.compareTypes(a, b);
}
