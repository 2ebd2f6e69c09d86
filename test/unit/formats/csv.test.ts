import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readCsvBatches } from '../../../src/formats/csv.js';
import { readBatches } from '../../../src/formats/index.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { demoSource, memorySource } from '../../helpers/byte-source.js';
import { collectBatches, columnValues, rowsOf, sum } from '../../helpers/arrow-values.js';
import { duckdbRows } from '../../helpers/duckdb.js';

const readAll = async (text: string | Uint8Array, options: Parameters<typeof readCsvBatches>[1] = {}) =>
  unifyTables(await collectBatches(readCsvBatches(memorySource(text, 'test.csv'), options)));

describe('CSV reader', () => {
  it('reads typed columns with nulls from empty cells', async () => {
    const table = await readAll('id,price,ok,when,name\n1,2.5,true,2026-09-01,alpha\n2,,FALSE,2026-09-02T10:00:00Z,\n3,4,,,"quoted, with comma"\n');
    expect(table.schema.fields.map((f) => f.type.toString())).toEqual(['Int32', 'Float64', 'Bool', 'Timestamp<MILLISECOND>', 'Dictionary<Int32, Utf8>']);
    expect(rowsOf(table)).toEqual([
      { id: 1, price: 2.5, ok: true, when: Date.UTC(2026, 8, 1), name: 'alpha' },
      { id: 2, price: null, ok: false, when: Date.UTC(2026, 8, 2, 10), name: null },
      { id: 3, price: 4, ok: null, when: null, name: 'quoted, with comma' },
    ]);
  });

  it('handles a BOM, CRLF, quoted newlines and blank lines', async () => {
    const table = await readAll('\uFEFFa,b\r\n1,"line1\nline2"\r\n\r\n2,x\r\n');
    expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
    expect(rowsOf(table)).toEqual([{ a: 1, b: 'line1\nline2' }, { a: 2, b: 'x' }]);
  });

  it('names blank headers and de-duplicates repeated ones', async () => {
    const table = await readAll('a,,a\n1,2,3\n');
    expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'column_2', 'a_2']);
  });

  it('projects columns in the requested order', async () => {
    const table = await readAll('a,b,c\n1,2,3\n', { columns: ['c', 'a'] });
    expect(rowsOf(table)).toEqual([{ c: 3, a: 1 }]);
  });

  it('rejects unknown projected columns, naming them and the available ones', async () => {
    await expect(readAll('a,b\n1,2\n', { columns: ['a', 'nope'] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('"nope"'),
      hint: expect.stringContaining('"a", "b"'),
    });
  });

  it('rejects ragged rows, naming the line', async () => {
    await expect(readAll('a,b\n1,2\n3\n4,5\n')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/line 3/) });
    await expect(readAll('a,b\n1,2,3\n')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/line 2/) });
  });

  it('rejects an unterminated quote', async () => {
    await expect(readAll('a,b\n1,"open\n')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('rejects invalid UTF-8 instead of inventing replacement characters', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('a,b\n1,'), 0xff, 0xfe, 0x0a]);
    await expect(readAll(bytes)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('UTF-8') });
    // A truncated multi-byte sequence at the very end is invalid too.
    await expect(readAll(new Uint8Array([0x61, 0x0a, 0xc3]))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('decodes multi-byte characters split across read chunks', async () => {
    const text = 'name\n' + 'é'.repeat(70_000) + '\n';
    const table = await readAll(text);
    expect(columnValues(table, 'name')[0]).toBe('é'.repeat(70_000));
  });

  it('gives an empty file and a header-only file an empty table', async () => {
    expect((await readAll('')).numRows).toBe(0);
    const headerOnly = await readAll('a,b\n');
    expect(headerOnly.numRows).toBe(0);
    expect(headerOnly.schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
  });

  it('widens a column across batches instead of failing or truncating', async () => {
    const batches = await collectBatches(readCsvBatches(memorySource('v,t\n1,a\n2,b\n2.5,c\nx,d\n'), { batchRows: 2 }));
    expect(batches.map((b) => b.numRows)).toEqual([2, 2]);
    expect(batches[0]!.getChild('v')!.type).toBeInstanceOf(arrow.Int32);
    const table = unifyTables(batches);
    expect(String(table.getChild('v')!.type)).toBe('Dictionary<Int32, Utf8>');
    expect(columnValues(table, 'v')).toEqual(['1', '2', '2.5', 'x']);
    const numeric = unifyTables(await collectBatches(readCsvBatches(memorySource('v\n1\n2\n2.5\n'), { batchRows: 2 })));
    expect(numeric.getChild('v')!.type).toBeInstanceOf(arrow.Float64);
    expect(columnValues(numeric, 'v')).toEqual([1, 2, 2.5]);
  });

  it('refuses a single enormous record rather than buffering it without bound', async () => {
    const huge = 'a\n"' + 'x'.repeat(9 * 1024 * 1024) + '"\n';
    await expect(readAll(huge)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('stops reading when the consumer stops (early stop reads a fraction of the file)', async () => {
    const source = await demoSource('orders.csv');
    for await (const batch of readBatches(source, 'csv', { batchRows: 100 })) {
      expect(batch.numRows).toBe(100);
      break;
    }
    expect(source.bytesRead).toBeGreaterThan(0);
    expect(source.bytesRead).toBeLessThan(source.size / 2);
  });

  it('agrees with DuckDB on the demo orders (row count, sum, distinct statuses)', async () => {
    const table = unifyTables(await collectBatches(readBatches(await demoSource('orders.csv'), 'csv', { batchRows: 3000 })));
    const [oracle] = await duckdbRows(
      `select count(*)::INTEGER n, sum(amount)::DOUBLE s, sum(quantity)::INTEGER q, count(distinct status)::INTEGER st from read_csv('examples/data/orders.csv')`,
    );
    expect(table.numRows).toBe(oracle!.n);
    expect(sum(columnValues(table, 'amount'))).toBeCloseTo(oracle!.s as number, 4);
    expect(sum(columnValues(table, 'quantity'))).toBe(oracle!.q);
    expect(new Set(columnValues(table, 'status')).size).toBe(oracle!.st);
  });
});
