/**
 * Rows given inline by an agent (objects, keys = columns) → one Arrow table, typed the way the
 * JSON reader types a file of the same rows: columns in first-seen key order, a missing key
 * is null, numbers/booleans/ISO-8601 text keep their kinds, mixed kinds fall back to text.
 */
import type * as arrow from 'apache-arrow';
import { invalidArgument } from '../../results/errors.js';
import { buildFromValues, tableFromColumns } from '../columns.js';
import { inferFromValues } from '../infer.js';

export function tableFromRows(rows: readonly unknown[]): arrow.Table {
  const names: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw invalidArgument(`row ${i} is not an object`, 'Give rows as [{"column": value, ...}, ...].');
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  });
  const records = rows as ReadonlyArray<Record<string, unknown>>;
  const columns = names.map((name) => {
    const cell = (i: number): unknown => (Object.hasOwn(records[i]!, name) ? records[i]![name] : undefined);
    return buildFromValues(inferFromValues(records.length, cell), records.length, cell);
  });
  return tableFromColumns(names, columns, records.length);
}
