/**
 * DuckDB as the oracle for the hash-based steps: the same rows go into Arrow (multi-batch,
 * per-batch dictionaries) and into DuckDB tables, and results are compared as sorted rows of
 * plain values (bigints and timestamps as numbers, floats within a relative tolerance).
 */
import type * as arrow from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import { seeded, valuesOf, type ColumnSpec, type Row } from './step-tables.js';

const SQL_TYPES: Record<ColumnSpec, string> = {
  int32: 'INTEGER',
  int64: 'BIGINT',
  float64: 'DOUBLE',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  string: 'VARCHAR',
  utf8: 'VARCHAR',
  null: 'INTEGER',
};

function literal(kind: ColumnSpec, v: unknown): string {
  if (v == null) return 'NULL';
  if (kind === 'timestamp') return `epoch_ms(${Number(v)})`;
  if (typeof v === 'number') return Number.isNaN(v) ? `'NaN'::DOUBLE` : String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return `'${String(v).replace(/'/g, "''")}'`;
}

export interface DuckTable {
  spec: Record<string, ColumnSpec>;
  rows: readonly Row[];
}

/** Runs `sql` over the given tables in a fresh in-memory DuckDB; returns rows of plain values. */
export async function duckQuery(tables: Record<string, DuckTable>, sql: string): Promise<Row[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const [name, { spec, rows }] of Object.entries(tables)) {
      const columns = Object.keys(spec);
      await connection.run(`CREATE TABLE "${name}" (${columns.map((c) => `"${c}" ${SQL_TYPES[spec[c]!]}`).join(', ')})`);
      for (let start = 0; start < rows.length; start += 500) {
        const values = rows.slice(start, start + 500).map((r) => `(${columns.map((c) => literal(spec[c]!, r[c])).join(', ')})`);
        await connection.run(`INSERT INTO "${name}" VALUES ${values.join(', ')}`);
      }
    }
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  if (Object.is(v, -0)) return 0;
  return v;
}

/** Our table as rows of plain values. */
export function tableRows(table: arrow.Table): Row[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => valuesOf(table, n));
  return Array.from({ length: table.numRows }, (_, i) => Object.fromEntries(names.map((n, c) => [n, plain(columns[c]![i])])));
}

const sortKey = (row: Row, columns: readonly string[]): string => JSON.stringify(columns.map((c) => row[c] ?? null));

/** Same multiset of rows: sorted by `keys` (which must identify a row), floats compared within 1e-9 relative. */
export function expectSameRows(actual: readonly Row[], expected: readonly Row[], keys: readonly string[]): void {
  const order = (rows: readonly Row[]): Row[] => [...rows].sort((a, b) => (sortKey(a, keys) < sortKey(b, keys) ? -1 : sortKey(a, keys) > sortKey(b, keys) ? 1 : 0));
  const a = order(actual);
  const e = order(expected);
  expect(a.length).toBe(e.length);
  a.forEach((row, i) => {
    const want = e[i]!;
    expect(Object.keys(row).sort()).toEqual(Object.keys(want).sort());
    for (const [column, value] of Object.entries(row)) {
      const other = want[column];
      if (typeof value === 'number' && typeof other === 'number' && !Number.isInteger(other)) {
        expect(Math.abs(value - other), `${column} of ${sortKey(row, keys)}: ${value} vs ${other}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(other)));
      } else expect(value, `${column} of ${sortKey(row, keys)}`).toEqual(other);
    }
  });
}

/** Random rows with nulls everywhere: text keys (unicode too), int and float keys that overlap in value, bools, timestamps, values. */
export function randomRows(n: number, seed: number): Row[] {
  const random = seeded(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const maybe = <T>(value: T, nullShare = 0.1): T | null => (random() < nullShare ? null : value);
  return Array.from({ length: n }, () => ({
    s: maybe(pick(['alpha', 'beta', 'gamma', 'Ωmega', 'émile', '日本', 'z', ''])),
    k: maybe(Math.floor(random() * 12) - 3),
    f: maybe(pick([1, 2, 2.5, -0, 0, 7, 1e10, 3.25])),
    b: maybe(random() < 0.5),
    t: maybe(1_700_000_000_000 + Math.floor(random() * 5) * 86_400_000),
    v: maybe(Math.round(random() * 2000 - 1000) / 8, 0.2),
    i: maybe(Math.floor(random() * 1000) - 500, 0.2),
  }));
}

export const RANDOM_SPEC: Record<string, ColumnSpec> = { s: 'string', k: 'int32', f: 'float64', b: 'bool', t: 'timestamp', v: 'float64', i: 'int64' };
