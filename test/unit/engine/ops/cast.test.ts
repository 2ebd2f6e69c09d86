import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { castProcessor } from '../../../../src/engine/ops/cast.js';
import { applyStep, expectInvalid, multiBatch, planError, runError, sales, values } from './step-harness.js';

const text = (...batches: (string | null)[][]): arrow.Table => multiBatch(batches.map((b) => ({ s: ['string', b] })));
const cast = async (input: arrow.Table, to: string, onError?: 'fail' | 'null', column = 's'): Promise<unknown[]> =>
  values(await applyStep(castProcessor, { op: 'cast', columns: { [column]: to }, ...(onError ? { on_error: onError } : {}) }, input), column);

describe('cast from text (per-batch dictionaries)', () => {
  it.each<[string, (string | null)[][], unknown[]]>([
    ['int32', [['1', ' 2 ', ''], ['007', null, '-3.9']], [1, 2, null, 7, null, -3]],
    ['int64', [['9007199254740991', '-12'], ['1e3']], [9007199254740991, -12, 1000]],
    ['float64', [['1.5', '.5', '-2e-3'], ['  7  ', '']], [1.5, 0.5, -0.002, 7, null]],
    ['bool', [['true', 'FALSE', 'Yes'], ['no', '1', '0', ' True ']], [true, false, true, false, true, false, true]],
    ['timestamp', [['2026-09-01', '2026-09-01T12:00:00+02:00'], ['2026-09-01 08:30:00.5']], [Date.UTC(2026, 8, 1), Date.UTC(2026, 8, 1, 10), Date.UTC(2026, 8, 1, 8, 30, 0, 500)]],
    ['date', [['2026-09-01', '2026-09-01T23:59:59Z'], ['1969-12-31T23:00:00Z']], [Date.UTC(2026, 8, 1), Date.UTC(2026, 8, 1), Date.UTC(1969, 11, 31)]],
    ['string', [['a', null], ['b']], ['a', null, 'b']],
  ])('to %s', async (to, batches, expected) => {
    expect(await cast(text(...batches), to)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['int32', '12abc'],
    ['int32', '0x10'],
    ['int32', '1,000'],
    ['int32', '3000000000'],
    ['int64', '1e300'],
    ['float64', 'Infinity'],
    ['float64', 'NaN'],
    ['bool', 'maybe'],
    ['timestamp', '2026-02-30'],
    ['date', 'yesterday'],
  ])('to %s refuses %j, or makes it null with on_error "null"', async (to, bad) => {
    const good: Record<string, string> = { int32: '1', int64: '1', float64: '1.5', bool: 'yes', timestamp: '2026-09-01', date: '2026-09-01' };
    const input = text([good[to]!, null], [good[to]!, bad]);
    const err = await runError(castProcessor, { op: 'cast', columns: { s: to } }, input);
    expectInvalid(err, new RegExp(`Cast of column "s" to ${to} failed at row 4 \\(counting from 1\\): ${JSON.stringify(bad).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not`), /on_error: "null"/);
    const lenient = await cast(input, to, 'null');
    expect(lenient[3]).toBeNull();
    expect(lenient[1]).toBeNull();
    expect(lenient[2]).not.toBeNull();
  });

  it('truncates a long bad value to 40 characters in the message and counts rows across batches', async () => {
    const err = await runError(castProcessor, { op: 'cast', columns: { s: 'float64' } }, text(['1', '2'], ['3', 'x'.repeat(500)]));
    expect(err.message).toContain(`failed at row 4 (counting from 1): "${'x'.repeat(40)}…" is not a number.`);
    expect(err.message.length).toBeLessThan(200);
  });

  it('ignores bad dictionary entries that no row uses', async () => {
    const sliced = text(['oops', '1', '2']).slice(1);
    expect(await cast(sliced, 'int32')).toEqual([1, 2]);
  });

  it('accepts injection-looking and Unicode text as plain values', async () => {
    const input = text(["'); drop table x; --", 'größe']);
    expect(await cast(input, 'string')).toEqual(["'); drop table x; --", 'größe']);
    expect((await runError(castProcessor, { op: 'cast', columns: { s: 'int32' } }, input)).message).toContain(`"'); drop table x; --" is not a number`);
  });
});

describe('cast between other types', () => {
  it('float → int truncates toward zero; out of range fails or becomes null', async () => {
    const input = multiBatch([{ x: [new arrow.Float64(), [10.5, -2.7, null]] }, { x: [new arrow.Float64(), [3e9, NaN]] }]);
    expect(await cast(input.slice(0, 3), 'int32', 'fail', 'x')).toEqual([10, -2, null]);
    expect(await cast(input, 'int32', 'null', 'x')).toEqual([10, -2, null, null, null]);
    expect(await cast(input, 'int64', 'null', 'x')).toEqual([10, -2, null, 3e9, null]);
    const err = await runError(castProcessor, { op: 'cast', columns: { x: 'int32' } }, input);
    expectInvalid(err, /Cast of column "x" to int32 failed at row 4 \(counting from 1\): "3000000000" is not a number whose whole part fits int32/);
  });

  it('writes int64 as BigInt64Array and keeps NaN in float64', async () => {
    const out = await applyStep(castProcessor, { op: 'cast', columns: { id: 'int64', price: 'float64' } }, sales());
    expect(out.batches[0]!.getChild('id')!.data[0]!.values).toBeInstanceOf(BigInt64Array);
    expect(values(out, 'id')).toEqual([1, 2, 3, 4, 5]);
    const nan = multiBatch([{ x: [new arrow.Float32(), [NaN, 1.5]] }]);
    expect(await cast(nan, 'float64', 'fail', 'x')).toEqual([NaN, 1.5]);
  });

  it('numbers, bools and times → text', async () => {
    const out = await applyStep(castProcessor, { op: 'cast', columns: { id: 'string', price: 'string', ok: 'string', at: 'string' } }, sales());
    expect(values(out, 'id')).toEqual(['1', '2', '3', '4', '5']);
    expect(values(out, 'price')).toEqual(['10.5', '20', null, '40', '50']);
    expect(values(out, 'ok')).toEqual(['true', 'false', null, 'true', 'false']);
    expect(values(out, 'at')).toEqual(['2026-09-01T00:00:00.000Z', '2026-09-02T12:00:00.000Z', '2026-09-03T00:00:00.000Z', null, '2026-12-31T23:59:59.000Z']);
    expect(out.schema.fields.every((f) => arrow.DataType.isDictionary(f.type))).toBe(true);
  });

  it('bool ↔ numbers', async () => {
    expect(values(await applyStep(castProcessor, { op: 'cast', columns: { ok: 'int32' } }, sales()), 'ok')).toEqual([1, 0, null, 1, 0]);
    expect(values(await applyStep(castProcessor, { op: 'cast', columns: { price: 'bool' } }, multiBatch([{ price: [new arrow.Float64(), [0, -1, null, 0.5]] }])), 'price')).toEqual([false, true, null, true]);
  });

  it('timestamp ↔ date ↔ epoch milliseconds', async () => {
    const out = await applyStep(castProcessor, { op: 'cast', columns: { at: 'date', id: 'timestamp' } }, sales());
    expect(values(out, 'at')).toEqual([Date.UTC(2026, 8, 1), Date.UTC(2026, 8, 2), Date.UTC(2026, 8, 3), null, Date.UTC(2026, 11, 31)]);
    expect(out.schema.fields[4]!.type).toBeInstanceOf(arrow.DateDay);
    expect(values(out, 'id')).toEqual([1, 2, 3, 4, 5]);
    const back = await applyStep(castProcessor, { op: 'cast', columns: { at: 'timestamp' } }, out);
    expect(values(back, 'at')[1]).toBe(Date.UTC(2026, 8, 2));
    expect(values(await applyStep(castProcessor, { op: 'cast', columns: { at: 'string' } }, out), 'at')).toEqual(['2026-09-01', '2026-09-02', '2026-09-03', null, '2026-12-31']);
    expect(values(await applyStep(castProcessor, { op: 'cast', columns: { at: 'int64' } }, sales()), 'at')[0]).toBe(Date.UTC(2026, 8, 1));
  });

  it('keeps a column that already has the target type as it is, and turns plain Utf8 into a dictionary', async () => {
    const input = sales();
    const out = await applyStep(castProcessor, { op: 'cast', columns: { id: 'int32', name: 'string', at: 'timestamp' } }, input);
    expect(out.batches[1]!.data.children[0]).toBe(input.batches[1]!.data.children[0]);
    expect(out.batches[1]!.data.children[2]).toBe(input.batches[1]!.data.children[2]);
    const plain = multiBatch([{ s: [new arrow.Utf8(), ['a', null]] }]);
    const dict = await applyStep(castProcessor, { op: 'cast', columns: { s: 'string' } }, plain);
    expect(arrow.DataType.isDictionary(dict.schema.fields[0]!.type)).toBe(true);
    expect(values(dict, 's')).toEqual(['a', null]);
  });

  it('casts an all-null column to any type', async () => {
    const input = multiBatch([{ n: [new arrow.Null(), [null, null]] }]);
    const out = await applyStep(castProcessor, { op: 'cast', columns: { n: 'int32' } }, input);
    expect(values(out, 'n')).toEqual([null, null]);
    expect(out.schema.fields[0]!.type).toBeInstanceOf(arrow.Int32);
  });
});

describe('cast plan errors', () => {
  it.each<[Record<string, string>, RegExp, RegExp]>([
    [{ nope: 'int32' }, /Unknown column "nope" in "columns"/, /Available columns/],
    [{ at: 'int32' }, /"at" \(timestamp\) cannot be cast to int32/, /From timestamp it can become: timestamp, date, string, int64, float64/],
    [{ ok: 'timestamp' }, /"ok" \(bool\) cannot be cast to timestamp/, /int32, int64, float64, string, bool/],
  ])('%j', (columns, message, hint) => {
    expectInvalid(planError(castProcessor, { op: 'cast', columns }, sales().schema), message, hint);
  });

  it('refuses unreadable column types and unknown targets', () => {
    const schema = new arrow.Schema([new arrow.Field('tags', new arrow.List(new arrow.Field('item', new arrow.Utf8())))]);
    expectInvalid(planError(castProcessor, { op: 'cast', columns: { tags: 'string' } }, schema), /cannot be cast to string/, /none/);
    expect(castProcessor.schema.safeParse({ op: 'cast', columns: { id: 'integer' } }).success).toBe(false);
    expect(castProcessor.schema.safeParse({ op: 'cast', columns: { id: 'int32' }, on_error: 'skip' }).success).toBe(false);
    // A step that reaches plan without the schema (pipelines, tests) still gets a hint.
    expectInvalid(planError({ ...castProcessor, schema: { parse: (v: unknown) => v } } as never, { op: 'cast', columns: { id: 'integer' } }, sales().schema), /Unknown target type "integer"/, /int32, int64/);
  });
});
