/**
 * The sort processor against DuckDB (devDependency) as an independent oracle: the same random
 * rows (nulls, NaN, infinities, unicode, per-batch dictionaries), the same keys with DuckDB's
 * defaults, and the row id as the last key (DuckDB's sort is not stable; ours is).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sortProcessor, type SortStep } from '../../../../src/engine/ops/sort.js';
import { RANDOM_SPEC, randomKeys, randomRows } from './sort-reference.js';
import { batchedTable, runContext, seeded, valuesOf, type Row } from './step-tables.js';

const ROWS = randomRows(seeded(7), 3000);
const COLUMNS = ['i', 'big', 'f', 's', 'u', 'b', 't', 'none'];

function literal(column: string, value: unknown): string {
  if (value === null) return 'NULL';
  if (column === 's' || column === 'u') return `'${String(value).replaceAll("'", "''")}'`;
  if (column === 't') return `epoch_ms(${String(value)})`;
  if (column === 'f') return Object.is(value, -0) ? '-0.0::DOUBLE' : Number.isNaN(value) ? "'NaN'::DOUBLE" : value === Infinity ? "'Infinity'::DOUBLE" : value === -Infinity ? "'-Infinity'::DOUBLE" : `${String(value)}::DOUBLE`;
  return String(value);
}

function orderBy(by: SortStep['by']): string {
  return by.map((k) => `"${k.column}" ${k.order === 'desc' ? 'DESC' : 'ASC'} NULLS ${k.nulls === 'first' ? 'FIRST' : 'LAST'}`).join(', ');
}

describe('sort agrees with DuckDB ORDER BY on random data', () => {
  let instance: DuckDBInstance;
  let duck: (sql: string) => Promise<Record<string, unknown>[]>;
  const table: arrow.Table = batchedTable(RANDOM_SPEC, ROWS, 97);

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    duck = async (sql) => (await connection.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
    await duck('CREATE TABLE t (id INTEGER, i INTEGER, big BIGINT, f DOUBLE, s VARCHAR, u VARCHAR, b BOOLEAN, t TIMESTAMP, "none" INTEGER)');
    const values = ROWS.map((row: Row) => `(${['id', ...COLUMNS].map((c) => literal(c, row[c])).join(', ')})`);
    await duck(`INSERT INTO t VALUES ${values.join(',\n')}`);
  });
  afterAll(() => instance?.closeSync());

  it('matches on 40 random key lists, full and top-k', async () => {
    const random = seeded(11);
    for (let trial = 0; trial < 40; trial++) {
      const by = randomKeys(random, COLUMNS);
      const expected = (await duck(`SELECT id FROM t ORDER BY ${orderBy(by)}, id`)).map((r) => r.id);
      const full = sortProcessor.run({ op: 'sort', by }, table, runContext()) as arrow.Table;
      expect(valuesOf(full, 'id'), orderBy(by)).toEqual(expected);
      const top = sortProcessor.run({ op: 'sort', by, limit: 25 }, table, runContext()) as arrow.Table;
      expect(valuesOf(top, 'id'), `${orderBy(by)} limit 25`).toEqual(expected.slice(0, 25));
    }
  });

  it('matches on every column alone, both directions, DuckDB defaults', async () => {
    for (const column of COLUMNS) {
      for (const order of ['asc', 'desc'] as const) {
        const expected = (await duck(`SELECT id FROM t ORDER BY "${column}" ${order}, id`)).map((r) => r.id);
        expect(expected).toHaveLength(ROWS.length);
        const out = sortProcessor.run({ op: 'sort', by: [{ column, order }] }, table, runContext()) as arrow.Table;
        expect(valuesOf(out, 'id'), `${column} ${order}`).toEqual(expected);
      }
    }
  });
});
