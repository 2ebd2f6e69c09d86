/**
 * Test tables for the probe-step processors: rows of plain JS values cut into batches, each
 * string batch with its own dictionary (as the readers produce them), and contexts to run in.
 */
import * as arrow from 'apache-arrow';
import { expect } from 'vitest';
import { buildFromValues, int64FromNumbers, tableFromColumns } from '../../../../src/formats/columns.js';
import { newBitmap, setBit } from '../../../../src/formats/raw.js';
import { unifyTables } from '../../../../src/formats/unify.js';
import { DataMcpError } from '../../../../src/results/errors.js';
import type { PlanContext, RunContext } from '../../../../src/engine/processor.js';

/** `float64` keeps NaN (the reader builders would turn it into null); `utf8` is plain, not dictionary. */
export type ColumnSpec = 'int32' | 'int64' | 'float64' | 'bool' | 'timestamp' | 'string' | 'utf8' | 'null';
export type Row = Record<string, unknown>;

export function batchedTable(spec: Record<string, ColumnSpec>, rows: readonly Row[], batchRows: number): arrow.Table {
  const names = Object.keys(spec);
  const tables: arrow.Table[] = [];
  for (let start = 0; start === 0 || start < rows.length; start += batchRows) {
    const slice = rows.slice(start, start + batchRows);
    const columns = names.map((name) => buildColumn(spec[name]!, slice.map((r) => r[name])));
    tables.push(tableFromColumns(names, columns, slice.length));
  }
  return unifyTables(tables);
}

function buildColumn(kind: ColumnSpec, cells: unknown[]): arrow.Data {
  const n = cells.length;
  switch (kind) {
    case 'int64':
      return int64FromNumbers(new arrow.Int64(), n, (i) => (typeof cells[i] === 'number' ? (cells[i] as number) : undefined));
    case 'float64': {
      const values = new Float64Array(n);
      const validity = newBitmap(n);
      let nulls = 0;
      cells.forEach((v, i) => {
        if (typeof v === 'number') {
          values[i] = v;
          setBit(validity, i);
        } else nulls++;
      });
      return arrow.makeData({ type: new arrow.Float64(), length: n, nullCount: nulls, nullBitmap: nulls ? validity : null, data: values });
    }
    case 'utf8':
      return arrow.vectorFromArray(cells.map((v) => (v == null ? null : String(v))), new arrow.Utf8()).data[0]!;
    default:
      return buildFromValues(kind, n, (i) => cells[i]);
  }
}

/** Values of a column as plain JS (bigints as numbers), for comparisons with references. */
export function valuesOf(table: arrow.Table, name: string): unknown[] {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`no column ${name}`);
  return Array.from(vector as Iterable<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v));
}

export function runContext(tables: Record<string, arrow.Table> = {}, maxRows = 1_000_000): RunContext {
  return {
    tableOf: (name) => {
      const t = tables[name];
      if (!t) throw new Error(`no table ${name}`);
      return t;
    },
    limits: { maxRows },
    signal: new AbortController().signal,
  };
}

export function planContext(tables: Record<string, arrow.Table> = {}, maxRows = 1_000_000): PlanContext {
  return { schemaOf: (name) => runContext(tables).tableOf(name).schema, limits: { maxRows } };
}

/** Plan and run agree on names and types (the contract's promise to the runner). */
export function expectSameSchema(planned: arrow.Schema, actual: arrow.Schema): void {
  expect(actual.fields.map((f) => f.name)).toEqual(planned.fields.map((f) => f.name));
  actual.fields.forEach((f, i) => {
    expect(arrow.util.compareTypes(f.type, planned.fields[i]!.type), `type of ${f.name}: ${String(f.type)} vs ${String(planned.fields[i]!.type)}`).toBe(true);
  });
}

/** The DataMcpError `fn` throws (fails the test when it throws something else or nothing). */
export function errorOf(fn: () => unknown): DataMcpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataMcpError) return err;
    throw err;
  }
  throw new Error('expected a DataMcpError, nothing was thrown');
}

/** A small seeded generator for property tests. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let t = s ^ (s >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return ((t ^ (t >>> 15)) >>> 0) / 4294967296;
  };
}
