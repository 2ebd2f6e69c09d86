import { describe, expect, it } from 'vitest';
import { readTable } from '../../../src/data/read-table.js';
import { demoSource, memorySource } from '../../helpers/byte-source.js';
import { columnValues, rowsOf } from '../../helpers/arrow-values.js';
import { duckdbRows } from '../../helpers/duckdb.js';

const big = { maxRows: 1_000_000 };

describe('readTable', () => {
  it('stops after the first Parquet row group for a small limit', async () => {
    const source = await demoSource('orders.parquet');
    const result = await readTable(source, { format: 'parquet', limit: 10, ...big });
    expect(result.table.numRows).toBe(10);
    expect(columnValues(result.table, 'order_id')).toEqual(Array.from({ length: 10 }, (_, i) => 100_001 + i));
    expect(result).toMatchObject({ rowsScanned: 1000, complete: false });
    expect(result.bytesRead).toBe(source.bytesRead);
    expect(result.bytesRead).toBeLessThan(source.size / 2);
  });

  it('stops a CSV read early too', async () => {
    const source = await demoSource('orders.csv');
    const result = await readTable(source, { format: 'csv', limit: 10, ...big });
    expect(result.table.numRows).toBe(10);
    expect(result.complete).toBe(false);
    expect(result.bytesRead).toBeLessThan(source.size / 2);
    expect(result.rowsScanned).toBeLessThan(10_000);
  });

  it('matches DuckDB for a filtered read with a projection that omits the filter columns', async () => {
    const filter = { and: [{ column: 'status', op: 'eq' as const, value: 'returned' }, { column: 'amount', op: 'gte' as const, value: 500 }] };
    const oracle = await duckdbRows(
      `select order_id::INTEGER order_id, amount::DOUBLE amount from read_parquet('examples/data/orders.parquet') where status = 'returned' and amount >= 500 order by order_id`,
    );
    for (const [file, format] of [['orders.parquet', 'parquet'], ['orders.csv', 'csv']] as const) {
      const result = await readTable(await demoSource(file), { format, columns: ['order_id', 'amount'], filter, limit: 100_000, ...big });
      expect(result.table.schema.fields.map((f) => f.name)).toEqual(['order_id', 'amount']);
      expect(rowsOf(result.table)).toEqual(oracle);
      expect(result).toMatchObject({ rowsScanned: 10_000, complete: true });
    }
  });

  it('checks a Parquet filter against the footer before fetching any row group', async () => {
    const source = await demoSource('orders.parquet');
    await expect(readTable(source, { format: 'parquet', filter: { column: 'amount', op: 'gt', value: 'lots' }, limit: 10, ...big })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('"amount"'),
    });
    expect(source.bytesRead).toBeLessThanOrEqual(32 * 1024);
    await expect(readTable(await demoSource('orders.parquet'), { format: 'parquet', filter: { column: 'nope', op: 'is_null' }, limit: 10, ...big })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(readTable(await demoSource('orders.parquet'), { format: 'parquet', columns: ['nope'], limit: 10, ...big })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('reports complete only when the whole source was scanned', async () => {
    const csv = 'a\n1\n2\n3\n';
    expect((await readTable(memorySource(csv, 'x.csv'), { format: 'csv', limit: 3, ...big })).complete).toBe(true);
    expect((await readTable(memorySource(csv, 'x.csv'), { format: 'csv', limit: 2, ...big })).complete).toBe(false);
    expect((await readTable(memorySource(csv, 'x.csv'), { format: 'csv', limit: 10, ...big })).complete).toBe(true);
    const filtered = await readTable(memorySource(csv, 'x.csv'), { format: 'csv', limit: 1, filter: { column: 'a', op: 'eq', value: 3 }, ...big });
    expect(filtered).toMatchObject({ complete: true, rowsScanned: 3 });
  });

  it('enforces the scan ceiling with LIMIT_EXCEEDED when the limit is not met', async () => {
    // Under `not`, so row-group statistics cannot rule the groups out and every row is scanned.
    await expect(
      readTable(await demoSource('orders.parquet'), { format: 'parquet', filter: { not: { column: 'amount', op: 'lte', value: 1e9 } }, limit: 10, maxRows: 2500 }),
    ).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', message: expect.stringContaining('2500') });
    // The same predicate as a leaf: statistics prove no group can match, so nothing is scanned.
    const pruned = await readTable(await demoSource('orders.parquet'), { format: 'parquet', filter: { column: 'amount', op: 'gt', value: 1e9 }, limit: 10, maxRows: 2500 });
    expect(pruned).toMatchObject({ rowsScanned: 0, complete: true });
    expect(pruned.rowGroupsSkipped).toBeGreaterThan(0);
    // Within the ceiling, a limit that is met is fine even if more rows exist.
    const ok = await readTable(await demoSource('orders.parquet'), { format: 'parquet', limit: 5, maxRows: 1000 });
    expect(ok.table.numRows).toBe(5);
    // Exactly exhausting the ceiling on the last row is not an error.
    const exact = await readTable(memorySource('a\n1\n2\n', 'x.csv'), { format: 'csv', limit: 10, maxRows: 2 });
    expect(exact).toMatchObject({ complete: true, rowsScanned: 2 });
  });

  it('honours an abort signal with CANCELLED', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readTable(await demoSource('orders.csv'), { format: 'csv', limit: 10, ...big, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    const midway = new AbortController();
    const source = await demoSource('orders.parquet');
    const read = source.read.bind(source);
    let calls = 0;
    source.read = async (start, end) => {
      if (++calls === 2) midway.abort();
      return read(start, end);
    };
    // Under `not` so statistics cannot skip the groups: the read must reach them and be cancelled.
    await expect(readTable(source, { format: 'parquet', filter: { not: { column: 'amount', op: 'gte', value: 0 } }, limit: 10, ...big, signal: midway.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(source.bytesRead).toBeLessThan(source.size);
  });

  it('returns an empty table with the schema when nothing matches', async () => {
    const result = await readTable(await demoSource('customers.jsonl'), { format: 'jsonl', columns: ['name'], filter: { column: 'country', op: 'eq', value: 'XX' }, limit: 10, ...big });
    expect(result.table.numRows).toBe(0);
    expect(result.table.schema.fields.map((f) => f.name)).toEqual(['name']);
    expect(result.complete).toBe(true);
  });

  it('unifies types across batches and filters each batch against its own schema', async () => {
    const csv = 'v\n1\n2\n3.5\n4\n';
    const result = await readTable(memorySource(csv, 'x.csv'), { format: 'csv', limit: 10, batchRows: 2, filter: { column: 'v', op: 'gt', value: 1.5 }, ...big });
    expect(columnValues(result.table, 'v')).toEqual([2, 3.5, 4]);
  });
});
