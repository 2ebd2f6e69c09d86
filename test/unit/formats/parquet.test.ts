import * as arrow from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { describeSource, readBatches } from '../../../src/formats/index.js';
import { parquetInfo } from '../../../src/formats/parquet-info.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { demoSource, memorySource } from '../../helpers/byte-source.js';
import { collectBatches, columnValues, rowsOf, sum } from '../../helpers/arrow-values.js';
import { duckdbRows } from '../../helpers/duckdb.js';

function mixedFile(): Uint8Array {
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'i', data: [1, null, 3, 4], type: 'INT32', nullable: true },
        { name: 's', data: ['a', 'b', null, 'a'], type: 'STRING', nullable: true },
        { name: 'small64', data: [1n, 2n, null, -5n], type: 'INT64', nullable: true },
        { name: 'big64', data: [1n, 9007199254740993n, 3n, 4n], type: 'INT64', nullable: false },
        { name: 'b', data: [true, false, null, true], type: 'BOOLEAN', nullable: true },
        { name: 'd', data: [1.5, 2.5, 3.5, null], type: 'DOUBLE', nullable: true },
        { name: 't', data: [new Date('2026-09-01T10:00:00Z'), null, new Date(0), new Date('1999-12-31T23:59:59.999Z')], type: 'TIMESTAMP', nullable: true },
      ],
      rowGroupSize: 2,
    }),
  );
}

describe('Parquet reader', () => {
  it('maps types, nulls, INT64 and timestamps; one batch per row group', async () => {
    const batches = await collectBatches(readBatches(memorySource(mixedFile(), 'm.parquet'), 'parquet'));
    expect(batches.map((b) => b.numRows)).toEqual([2, 2]);
    const table = unifyTables(batches);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'i:Int32',
      's:Dictionary<Int32, Utf8>',
      'small64:Float64',
      'big64:Int64',
      'b:Bool',
      'd:Float64',
      't:Timestamp<MILLISECOND>',
    ]);
    expect(columnValues(table, 'i')).toEqual([1, null, 3, 4]);
    expect(columnValues(table, 's')).toEqual(['a', 'b', null, 'a']);
    expect(columnValues(table, 'small64')).toEqual([1, 2, null, -5]);
    expect(Array.from(table.getChild('big64')!.data.flatMap((d) => Array.from(d.values as BigInt64Array)))).toEqual([1n, 9007199254740993n, 3n, 4n]);
    expect(columnValues(table, 'b')).toEqual([true, false, null, true]);
    expect(columnValues(table, 'd')).toEqual([1.5, 2.5, 3.5, null]);
    expect(columnValues(table, 't')).toEqual([Date.UTC(2026, 8, 1, 10), null, 0, Date.UTC(1999, 11, 31, 23, 59, 59, 999)]);
  });

  it('projects columns and rejects unknown ones', async () => {
    const table = unifyTables(await collectBatches(readBatches(memorySource(mixedFile(), 'm.parquet'), 'parquet', { columns: ['d', 'i'] })));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['d', 'i']);
    await expect(collectBatches(readBatches(memorySource(mixedFile(), 'm.parquet'), 'parquet', { columns: ['i', 'zz'] }))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('"zz"'),
      hint: expect.stringContaining('"small64"'),
    });
  });

  it('reads the first row group without fetching the rest of the file', async () => {
    const source = await demoSource('orders.parquet');
    for await (const batch of readBatches(source, 'parquet', { columns: ['order_id', 'amount'] })) {
      expect(batch.numRows).toBe(1000);
      break;
    }
    expect(source.bytesRead).toBeLessThan(source.size / 2);
  });

  it('rejects truncated, corrupt and non-Parquet bytes as INVALID_ARGUMENT', async () => {
    const whole = mixedFile();
    const cases: Uint8Array[] = [
      whole.slice(0, whole.length - 10), // footer cut
      whole.slice(0, whole.length / 2),
      new TextEncoder().encode('a,b\n1,2\n'),
      new Uint8Array(0),
      (() => {
        const broken = whole.slice();
        broken.fill(0xff, broken.length - 200, broken.length - 8); // metadata garbage, magic intact
        return broken;
      })(),
    ];
    for (const bytes of cases) {
      await expect(collectBatches(readBatches(memorySource(bytes, 'bad.parquet'), 'parquet'))).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('not a valid Parquet file'),
      });
    }
  });

  it('rejects a file whose data pages are corrupt', async () => {
    const file = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'x', data: Array.from({ length: 2000 }, (_, i) => `value-${i}`), type: 'STRING' }] }));
    const broken = file.slice();
    broken.fill(0x7f, 4, 400); // page header and data, footer intact
    await expect(collectBatches(readBatches(memorySource(broken, 'bad.parquet'), 'parquet'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('describes files for `describe` from the footer alone', async () => {
    const source = await demoSource('orders.parquet');
    const info = await parquetInfo(source);
    expect(info.rowCount).toBe(10_000);
    expect(info.rowGroups).toHaveLength(10);
    expect(info.rowGroups.every((g) => g.rows === 1000 && g.bytes > 0)).toBe(true);
    expect(info.columns.find((c) => c.name === 'order_date')).toEqual({ name: 'order_date', physicalType: 'INT64', logicalType: 'TIMESTAMP_MILLIS', compression: 'SNAPPY' });
    expect(info.createdBy).toBe('data-mcp demo generator');
    const description = await describeSource(await demoSource('orders.parquet'), 'parquet');
    expect(description).toMatchObject({ format: 'parquet', rowCount: 10_000, rowCountExact: true });
    expect(description.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'order_id:int32', 'customer_id:int32', 'order_date:timestamp', 'status:string', 'region:string', 'amount:float64', 'quantity:int32',
    ]);
  });

  it('agrees with DuckDB and with the CSV twin on the demo orders', async () => {
    const parquet = unifyTables(await collectBatches(readBatches(await demoSource('orders.parquet'), 'parquet')));
    const csv = unifyTables(await collectBatches(readBatches(await demoSource('orders.csv'), 'csv')));
    const [oracle] = await duckdbRows(
      `select count(*)::INTEGER n, sum(amount)::DOUBLE s, sum(epoch_ms(order_date))::DOUBLE t, count(*) filter (where status = 'returned')::INTEGER r from read_parquet('examples/data/orders.parquet')`,
    );
    expect(parquet.numRows).toBe(oracle!.n);
    expect(sum(columnValues(parquet, 'amount'))).toBeCloseTo(oracle!.s as number, 4);
    expect(sum(columnValues(parquet, 'order_date'))).toBe(oracle!.t);
    expect(columnValues(parquet, 'status').filter((s) => s === 'returned')).toHaveLength(oracle!.r as number);
    expect(rowsOf(parquet)).toEqual(rowsOf(csv));
    expect(parquet.getChild('order_date')!.type).toBeInstanceOf(arrow.TimestampMillisecond);
  });
});
