import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readBatches, type Format } from '../../../src/formats/index.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { csvField } from '../../../src/formats/write/csv.js';
import { CONTENT_TYPES, tableFromRows, writeChunks, writeTable } from '../../../src/formats/write/index.js';
import { collectBatches, rowsOf } from '../../helpers/arrow-values.js';
import { memorySource } from '../../helpers/byte-source.js';

const ROWS = [
  { id: 1, name: 'Ada "the first", Lovelace', note: 'line one\nline two', amount: 12.5, ok: true, at: '2026-03-01T10:00:00.000Z' },
  { id: 2, name: 'Zoë 🚀 — ünïcödé', note: null, amount: null, ok: false, at: null },
  { id: 3, name: null, note: ' padded ', amount: -0.25, ok: null, at: '1999-12-31T23:59:59.999Z' },
  { id: 4, name: 'comma,and\r\ncrlf', note: '=1+2', amount: 1e21, ok: true, at: '2026-01-01T00:00:00.000Z' },
];

async function readBack(bytes: Uint8Array, format: Format): Promise<arrow.Table> {
  const batches = await collectBatches(readBatches(memorySource(bytes, `x.${format}`), format));
  return batches.length === 1 ? batches[0]! : unifyTables(batches);
}

/** Rows as plain values with timestamps as ISO text, so every format compares alike. */
function normalized(table: arrow.Table): Record<string, unknown>[] {
  const timestampColumns = table.schema.fields.filter((f) => arrow.DataType.isTimestamp(f.type)).map((f) => f.name);
  return rowsOf(table).map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) out[k] = v !== null && timestampColumns.includes(k) ? new Date(Number(v)).toISOString() : typeof v === 'bigint' ? Number(v) : v;
    return out;
  });
}

describe('writeTable round trips through the readers', () => {
  const table = tableFromRows(ROWS);
  it.each(['csv', 'jsonl', 'json', 'parquet', 'arrow'] as const)('%s: write → read gives the same rows (nulls, timestamps, unicode, quotes, newlines)', async (format) => {
    const back = await readBack(writeTable(table, format), format);
    expect(back.schema.fields.map((f) => f.name)).toEqual(['id', 'name', 'note', 'amount', 'ok', 'at']);
    expect(normalized(back)).toEqual(ROWS);
    // Timestamps come back as timestamps, not text, in every format.
    expect(arrow.DataType.isTimestamp(back.getChild('at')!.type)).toBe(true);
  });

  it.each(['csv', 'jsonl', 'parquet', 'arrow'] as const)('%s: a table of several batches with different dictionaries round trips', async (format) => {
    const multi = unifyTables([tableFromRows(ROWS.slice(0, 2)), tableFromRows(ROWS.slice(2))]);
    expect(multi.batches.length).toBe(2);
    const back = await readBack(writeTable(multi, format), format);
    expect(normalized(back)).toEqual(ROWS);
  });

  it.each(['csv', 'jsonl', 'json', 'parquet', 'arrow'] as const)('%s: an empty table writes a readable object', async (format) => {
    const empty = new arrow.Table({ a: arrow.vectorFromArray([], new arrow.Int32()) });
    const back = await readBack(writeTable(empty, format), format);
    expect(back.numRows).toBe(0);
    // Text formats with no rows keep no column (JSONL has no header); the others keep the schema.
    if (format === 'parquet' || format === 'arrow' || format === 'csv') expect(back.schema.fields.map((f) => f.name)).toEqual(['a']);
  });

  it('keeps 64-bit integers exact in parquet and jsonl', async () => {
    const big = new arrow.Table({ n: arrow.vectorFromArray([9007199254740993n, null, -5n], new arrow.Int64()) });
    const parquet = await readBack(writeTable(big, 'parquet'), 'parquet');
    expect([...parquet.getChild('n')!]).toEqual([9007199254740993n, null, -5n]);
    const jsonl = new TextDecoder().decode(writeTable(big, 'jsonl'));
    expect(jsonl).toBe('{"n":"9007199254740993"}\n{"n":null}\n{"n":-5}\n');
  });

  it('writes NaN and infinities as null in text formats', () => {
    const t = new arrow.Table({ x: arrow.vectorFromArray([Number.NaN, Number.POSITIVE_INFINITY, 1], new arrow.Float64()) });
    expect(new TextDecoder().decode(writeTable(t, 'jsonl'))).toBe('{"x":null}\n{"x":null}\n{"x":1}\n');
  });

  it('parquet carries the types: int32, float64, bool, timestamp, string', async () => {
    const back = await readBack(writeTable(table, 'parquet'), 'parquet');
    expect(back.schema.fields.map((f) => [f.name, f.type.toString()])).toEqual([
      ['id', 'Int32'],
      ['name', 'Dictionary<Int32, Utf8>'],
      ['note', 'Dictionary<Int32, Utf8>'],
      ['amount', 'Float64'],
      ['ok', 'Bool'],
      ['at', 'Timestamp<MILLISECOND>'],
    ]);
  });

  it('the arrow output is the IPC file format (magic ARROW1 at both ends)', () => {
    const bytes = writeTable(table, 'arrow');
    const magic = new TextDecoder().decode(bytes.subarray(0, 6));
    expect(magic).toBe('ARROW1');
    expect(new TextDecoder().decode(bytes.subarray(bytes.byteLength - 6))).toBe('ARROW1');
  });

  it('content types name each format', () => {
    expect(CONTENT_TYPES.parquet).toBe('application/vnd.apache.parquet');
    expect(CONTENT_TYPES.csv).toMatch(/^text\/csv/);
  });
});

describe('csv output', () => {
  it('quotes per RFC 4180 and ends lines with CRLF', () => {
    const text = new TextDecoder().decode(writeTable(tableFromRows([{ a: 'x,y', b: 'say "hi"', c: 'plain' }]), 'csv'));
    expect(text).toBe('a,b,c\r\n"x,y","say ""hi""",plain\r\n');
  });

  it('quotes header names that need it', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(null)).toBe('');
    expect(csvField({ k: [1] })).toBe('"{""k"":[1]}"');
  });

  it('streams a large table in several chunks', () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => ({ i, s: `row ${i}` }));
    const chunks = [...writeChunks(tableFromRows(rows), 'csv')];
    expect(chunks.length).toBeGreaterThan(2);
    const text = chunks.map((c) => new TextDecoder().decode(c)).join('');
    expect(text.split('\r\n').length).toBe(12_002); // header + rows + trailing empty
  });
});

describe('tableFromRows', () => {
  it('unions keys in first-seen order and nulls the missing ones', () => {
    const t = tableFromRows([{ a: 1 }, { b: 'x', a: 2 }]);
    expect(rowsOf(t)).toEqual([
      { a: 1, b: null },
      { a: 2, b: 'x' },
    ]);
  });

  it('keeps a "__proto__" column an ordinary column', async () => {
    const rows = [JSON.parse('{"__proto__": "x", "a": 1}') as Record<string, unknown>];
    const t = tableFromRows(rows);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['__proto__', 'a']);
    const back = await readBack(writeTable(t, 'jsonl'), 'jsonl');
    expect(back.schema.fields.map((f) => f.name)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses a row that is not an object', () => {
    expect(() => tableFromRows([{ a: 1 }, [1, 2]])).toThrow(/row 1 is not an object/);
    expect(() => tableFromRows([null])).toThrow(/row 0/);
  });

  it('nested values become JSON text', () => {
    const t = tableFromRows([{ n: { x: [1, 2] } }]);
    expect(rowsOf(t)).toEqual([{ n: '{"x":[1,2]}' }]);
  });
});
