import { describe, expect, it } from 'vitest';
import { readBatches, describeSource } from '../../../src/formats/index.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { demoSource, memorySource } from '../../helpers/byte-source.js';
import { collectBatches, columnValues, rowsOf } from '../../helpers/arrow-values.js';
import { duckdbRows } from '../../helpers/duckdb.js';

const readJson = async (text: string | Uint8Array, format: 'json' | 'jsonl', options = {}) =>
  unifyTables(await collectBatches(readBatches(memorySource(text, `t.${format}`), format, options)));

describe('JSON reader', () => {
  it('reads an array of objects with the union of keys and inferred types', async () => {
    const table = await readJson('[{"a":1,"b":"x"},{"a":2.5,"c":true},{"b":"2026-01-01","d":null}]', 'json');
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['a:Float64', 'b:Dictionary<Int32, Utf8>', 'c:Bool', 'd:Null']);
    expect(rowsOf(table)).toEqual([
      { a: 1, b: 'x', c: null, d: null },
      { a: 2.5, b: null, c: true, d: null },
      { a: null, b: '2026-01-01', c: null, d: null },
    ]);
  });

  it('accepts {"data": [...]} and a single object', async () => {
    expect(rowsOf(await readJson('{"data":[{"a":1}]}', 'json'))).toEqual([{ a: 1 }]);
    expect(rowsOf(await readJson('{"a":1,"b":"x"}', 'json'))).toEqual([{ a: 1, b: 'x' }]);
  });

  it('keeps nested objects and arrays as JSON text', async () => {
    const table = await readJson('[{"n":{"x":[1,2]},"l":[1,"a"]}]', 'json');
    expect(rowsOf(table)).toEqual([{ n: '{"x":[1,2]}', l: '[1,"a"]' }]);
  });

  it('types ISO strings as timestamps and keeps mixed values as text', async () => {
    const table = await readJson('[{"t":"2026-09-01T00:00:00Z","m":1},{"t":"2026-09-02","m":"one"}]', 'json');
    expect(String(table.getChild('t')!.type)).toBe('Timestamp<MILLISECOND>');
    expect(columnValues(table, 'm')).toEqual(['1', 'one']);
  });

  it('rejects invalid JSON, scalars and non-object rows', async () => {
    await expect(readJson('[{"a":1},', 'json')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('not valid JSON') });
    await expect(readJson('42', 'json')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(readJson('[{"a":1}, 3]', 'json')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('Row 1') });
  });

  it('treats __proto__ keys as plain data', async () => {
    const table = await readJson('[{"__proto__":{"polluted":true},"a":1}]', 'json');
    expect(table.schema.fields.map((f) => f.name)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('JSONL reader', () => {
  it('reads one object per line, skipping blank lines, with keys that appear late', async () => {
    const table = await readJson('{"a":1}\n\n{"a":2,"b":"x"}\r\n{"b":"y"}', 'jsonl', { batchRows: 1 });
    expect(rowsOf(table)).toEqual([
      { a: 1, b: null },
      { a: 2, b: 'x' },
      { a: null, b: 'y' },
    ]);
  });

  it('names the bad line', async () => {
    await expect(readJson('{"a":1}\n{"a":\n{"a":3}\n', 'jsonl')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('Line 2') });
    await expect(readJson('{"a":1}\n[1,2]\n', 'jsonl')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('Line 2') });
  });

  it('rejects invalid UTF-8', async () => {
    await expect(readJson(new Uint8Array([0x7b, 0x7d, 0x0a, 0x80]), 'jsonl')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('UTF-8') });
  });

  it('rejects unknown projected columns', async () => {
    await expect(readJson('{"a":1}\n', 'jsonl', { columns: ['z'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('"z"') });
  });

  it('agrees with DuckDB on the demo customers and events', async () => {
    const customers = unifyTables(await collectBatches(readBatches(await demoSource('customers.jsonl'), 'jsonl', { batchRows: 300 })));
    const [oracle] = await duckdbRows(`select count(*)::INTEGER n, sum(customer_id)::INTEGER s, count(distinct country)::INTEGER c from read_json_auto('examples/data/customers.jsonl')`);
    expect(customers.numRows).toBe(oracle!.n);
    expect(columnValues(customers, 'customer_id').reduce((a: number, b) => a + (b as number), 0)).toBe(oracle!.s);
    expect(new Set(columnValues(customers, 'country')).size).toBe(oracle!.c);
    const events = await describeSource(await demoSource('events/2026-09-02.jsonl'), 'jsonl');
    expect(events.columns).toEqual([
      { name: 'event_id', type: 'string' },
      { name: 'ts', type: 'timestamp' },
      { name: 'customer_id', type: 'int32' },
      { name: 'type', type: 'string' },
      { name: 'page', type: 'string' },
    ]);
    expect(events).toMatchObject({ rowCount: 500, rowCountExact: true });
  });
});
