import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { takeRows } from '../../../src/engine/take.js';

describe('takeRows on nested columns (the Vector fallback)', () => {
  it('copies list cells by value, not through the child view', () => {
    const lists = arrow.vectorFromArray([[1], [0, 0], null, []], new arrow.List(new arrow.Field('item', new arrow.Int32(), true)));
    const out = takeRows(new arrow.Table({ l: lists }), [1, 0, 2, 3, 0]);
    const cells = out.getChild('l')!.toArray().map((v: arrow.Vector | null) => (v ? [...v] : null));
    expect(cells).toEqual([[0, 0], [1], null, [], [1]]);
  });

  it('copies struct cells by value', () => {
    const type = new arrow.Struct([new arrow.Field('a', new arrow.Int32(), true), new arrow.Field('b', new arrow.Utf8(), true)]);
    const structs = arrow.vectorFromArray([{ a: 1, b: 'x' }, { a: 2, b: 'y' }], type);
    const out = takeRows(new arrow.Table({ s: structs }), [1, 1, 0]);
    expect(out.getChild('s')!.toArray().map((r: { toJSON(): unknown }) => r.toJSON())).toEqual([{ a: 2, b: 'y' }, { a: 2, b: 'y' }, { a: 1, b: 'x' }]);
  });
});

// One column of every fixed-width size (1, 2, 3, 4, 8 bytes), bits, text and dictionaries, with nulls.
const TYPES = {
  i8: new arrow.Int8(),
  i16: new arrow.Int16(),
  i32: new arrow.Int32(),
  f32: new arrow.Float32(),
  f64: new arrow.Float64(),
  i64: new arrow.Int64(),
  u64: new arrow.Uint64(),
  ts: new arrow.TimestampMillisecond(),
  day: new arrow.DateDay(),
  bin3: new arrow.FixedSizeBinary(3),
  ok: new arrow.Bool(),
  text: new arrow.Utf8(),
  dict: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
} as const;
type Name = keyof typeof TYPES;

function cell(name: Name, row: number): unknown {
  if (row % 7 === 3) return null;
  switch (name) {
    case 'i8':
      return (row % 256) - 128;
    case 'i16':
      return (row * 37) % 30000 - 15000;
    case 'i32':
      return row * 1000 - 7;
    case 'f32':
      return Math.fround(row / 4);
    case 'f64':
      return row % 11 === 0 ? Number.NaN : row / 3;
    case 'i64':
      return BigInt(row) * -3_000_000_000n;
    case 'u64':
      return BigInt(row) * 5_000_000_000n;
    case 'ts':
      return 1_700_000_000_000 + row * 1000;
    case 'day':
      return row * 86_400_000;
    case 'bin3':
      return Uint8Array.from([row % 256, 7, 255 - (row % 256)]);
    case 'ok':
      return row % 3 === 0;
    case 'text':
      return row % 5 === 0 ? `long ünïcödé value ${'x'.repeat(40)} ${row}` : `t${row}`;
    case 'dict':
      return `key-${row % 4}`;
  }
}

/** Batches of the given sizes; each batch builds its own dictionary. */
function table(sizes: number[]): arrow.Table {
  let row = 0;
  const batches = sizes.map((size) => {
    const rows = Array.from({ length: size }, () => row++);
    const columns = Object.fromEntries((Object.keys(TYPES) as Name[]).map((n) => [n, arrow.vectorFromArray(rows.map((r) => cell(n, r)), TYPES[n])]));
    return new arrow.Table(columns).batches[0]!;
  });
  return new arrow.Table(batches);
}

const plain = (v: unknown): unknown => (v instanceof Uint8Array ? Array.from(v) : v);
function rows(t: arrow.Table, picked?: ArrayLike<number>): unknown[][] {
  const columns = t.schema.fields.map((f) => Array.from(t.getChild(f.name)! as Iterable<unknown>, plain));
  const order = picked ? Array.from(picked) : Array.from({ length: t.numRows }, (_, i) => i);
  return order.map((i) => columns.map((c) => c[i]));
}

describe('takeRows on raw buffers', () => {
  const source = table([50, 1, 64, 33]);

  it('gathers increasing indices (a filter selection) across batches, every type and null intact', () => {
    const picked = Uint32Array.from({ length: source.numRows }, (_, i) => i).filter((i) => (i * 2654435761) % 5 < 3);
    const out = takeRows(source, picked);
    expect(rows(out)).toEqual(rows(source, picked));
    expect(out.schema.fields.map((f) => String(f.type))).toEqual(source.schema.fields.map((f) => String(f.type)));
    expect(out.batches.length).toBe(new Set(Array.from(picked, (i) => (i < 50 ? 0 : i < 51 ? 1 : i < 115 ? 2 : 3))).size);
  });

  it('keeps each batch its own dictionary: only the codes are copied', () => {
    const out = takeRows(source, [0, 1, 60, 61]);
    expect(out.batches[0]!.getChild('dict')!.data[0]!.dictionary).toBe(source.batches[0]!.getChild('dict')!.data[0]!.dictionary);
    expect(out.batches[1]!.getChild('dict')!.data[0]!.dictionary).toBe(source.batches[2]!.getChild('dict')!.data[0]!.dictionary);
  });

  it('gathers any order, repeats and jumps back and forth between batches', () => {
    const picked = [147, 0, 0, 49, 50, 51, 114, 51, 3, 3, 100, 2, 115, 147, 10];
    expect(rows(takeRows(source, picked))).toEqual(rows(source, picked));
    expect(rows(takeRows(source, Int32Array.from(picked)))).toEqual(rows(source, picked));
    const backwards = Array.from({ length: source.numRows }, (_, i) => source.numRows - 1 - i);
    expect(rows(takeRows(source, backwards))).toEqual(rows(source, backwards));
  });

  it('reuses a batch taken whole and in order, and copies one taken whole but shuffled or repeated', () => {
    const all = takeRows(source, Uint32Array.from({ length: source.numRows }, (_, i) => i));
    expect(all.batches.every((b, i) => b === source.batches[i])).toBe(true);
    const swapped = takeRows(source, [1, 0, ...Array.from({ length: 48 }, (_, i) => i + 2)]);
    expect(swapped.batches[0]).not.toBe(source.batches[0]);
    expect(rows(swapped)[0]).toEqual(rows(source)[1]);
    const repeated = [0, 0, ...Array.from({ length: 48 }, (_, i) => i + 2)];
    expect(rows(takeRows(source, repeated))).toEqual(rows(source, repeated));
  });

  it('gathers from sliced tables (bitmaps and bits read from an offset)', () => {
    const sliced = source.slice(5, 140);
    const picked = [0, 1, 2, 9, 10, 11, 12, 13, 50, 100, 134];
    expect(rows(takeRows(sliced, picked))).toEqual(rows(sliced, picked));
    // A typed selection is read in place (no batch-local copy): same answer.
    expect(rows(takeRows(sliced, Uint32Array.from(picked)))).toEqual(rows(sliced, picked));
    expect(rows(takeRows(sliced, Int32Array.from(picked)))).toEqual(rows(sliced, picked));
  });

  it('skips empty batches and rejects rows outside the table', () => {
    const gappy = new arrow.Table([...table([3]).batches, ...table([2]).slice(0, 0).batches, ...table([4]).batches]);
    expect(gappy.batches.map((b) => b.numRows)).toEqual([3, 0, 4]);
    expect(rows(takeRows(gappy, [6, 2, 3]))).toEqual(rows(gappy, [6, 2, 3]));
    expect(() => takeRows(source, [0, source.numRows])).toThrow(RangeError);
    expect(() => takeRows(source, [-1])).toThrow(RangeError);
    expect(takeRows(source, []).numRows).toBe(0);
    expect(takeRows(source, []).schema.fields.length).toBe(Object.keys(TYPES).length);
  });
});
