import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { normalizeProcessor, snakeCase } from '../../../../src/engine/ops/normalize.js';
import { typeName } from '../../../../src/formats/columns.js';
import { applyStep, expectInvalid, multiBatch, names, planError, sales, values } from './step-harness.js';

const normalize = (step: Record<string, unknown>, input = sales()) => applyStep(normalizeProcessor, { op: 'normalize', ...step }, input);

describe('normalize values', () => {
  it('trims and changes case once per dictionary entry, batch by batch', async () => {
    const out = await normalize({ trim: ['name'], case: { name: 'upper' } });
    expect(values(out, 'name')).toEqual(['APPLE', 'BANANA', 'CHERRY', null, 'APPLE PIE']);
    expect(out.batches.length).toBe(3);
  });

  it('handles plain Utf8 columns and Unicode case rules', async () => {
    const input = multiBatch([{ s: [new arrow.Utf8(), ['  Straße\t', null]] }, { s: [new arrow.Utf8(), ['ÉCOLE ']] }]);
    const out = await normalize({ trim: ['s'], case: { s: 'lower' } }, input);
    expect(values(out, 's')).toEqual(['straße', null, 'école']);
    expect(typeName(out.schema.fields[0]!.type)).toBe('string');
    expect(arrow.DataType.isDictionary(out.schema.fields[0]!.type)).toBe(true);
  });

  it('min-max scales to [0, 1] across all batches, nulls stay null', async () => {
    const out = await normalize({ scale: { price: 'minmax', id: 'minmax' } });
    expect(values(out, 'price')).toEqual([0, (20 - 10.5) / 39.5, null, (40 - 10.5) / 39.5, 1]);
    expect(values(out, 'id')).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(typeName(out.schema.fields[0]!.type)).toBe('float64');
  });

  it('z-scores with the population standard deviation', async () => {
    const out = await normalize({ scale: { id: 'zscore' } });
    const sd = Math.sqrt(2); // ids 1..5: mean 3, population variance 2
    const z = values(out, 'id') as number[];
    [1, 2, 3, 4, 5].forEach((v, i) => expect(z[i]).toBeCloseTo((v - 3) / sd, 12));
  });

  it('scales a constant column (and an all-null one) to 0 / null', async () => {
    const input = multiBatch([{ c: [new arrow.Int32(), [7, 7]], e: [new arrow.Float64(), [null, null]] }, { c: [new arrow.Int32(), [7]], e: [new arrow.Float64(), [null]] }]);
    const out = await normalize({ scale: { c: 'zscore', e: 'minmax' } }, input);
    expect(values(out, 'c')).toEqual([0, 0, 0]);
    expect(values(out, 'e')).toEqual([null, null, null]);
  });

  it('scales int64 columns and ignores NaN in the statistics', async () => {
    const input = multiBatch([{ big: [new arrow.Int64(), [0n, 10n, 20n]], f: [new arrow.Float64(), [1, NaN, 3]] }]);
    const out = await normalize({ scale: { big: 'minmax', f: 'minmax' } }, input);
    expect(values(out, 'big')).toEqual([0, 0.5, 1]);
    expect(values(out, 'f')).toEqual([0, NaN, 1]);
  });

  it('keeps the planned schema for a table without batches', async () => {
    const out = await normalize({ column_names: 'snake_case', scale: { id: 'zscore' }, case: { name: 'lower' } }, new arrow.Table(sales().schema));
    expect(out.numRows).toBe(0);
    expect(out.schema.fields.map((f) => `${f.name}:${typeName(f.type)}`)).toEqual(['id:float64', 'price:float64', 'name:string', 'ok:bool', 'at:timestamp']);
  });
});

describe('normalize column names', () => {
  it.each([
    ['Order Date', 'order_date'],
    ['orderDate', 'order_date'],
    ['customerID', 'customer_id'],
    ['HTTPServer2', 'http_server2'],
    ['  --Total $ Amount--  ', 'total_amount'],
    ['address2Line', 'address2_line'],
    ['Größe (kg)', 'größe_kg'],
    ['already_snake', 'already_snake'],
    ['名前', '名前'],
    ['!!!', ''],
  ])('%j → %j', (name, expected) => {
    expect(snakeCase(name)).toBe(expected);
  });

  it('renames every column last; value options name the input columns', async () => {
    const input = multiBatch([{ 'Order Date': [new arrow.Int32(), [1]], 'Customer Name': ['string', [' Ann ']], '!!!': [new arrow.Int32(), [2]] }]);
    const out = await normalize({ column_names: 'snake_case', trim: ['Customer Name'] }, input);
    expect(names(out)).toEqual(['order_date', 'customer_name', 'column_3']);
    expect(values(out, 'customer_name')).toEqual(['Ann']);
    const lower = await normalize({ column_names: 'lower' }, input);
    expect(names(lower)).toEqual(['order date', 'customer name', '!!!']);
  });

  it('refuses names that would clash, naming both', () => {
    const schema = new arrow.Schema([new arrow.Field('Order Date', new arrow.Int32()), new arrow.Field('order_date', new arrow.Int32())]);
    expectInvalid(planError(normalizeProcessor, { op: 'normalize', column_names: 'snake_case' }, schema), /would give "Order Date" and "order_date" the same name "order_date"/, /Rename or drop one/);
    const lower = new arrow.Schema([new arrow.Field('ID', new arrow.Int32()), new arrow.Field('id', new arrow.Int32())]);
    expectInvalid(planError(normalizeProcessor, { op: 'normalize', column_names: 'lower' }, lower), /"ID" and "id" the same name "id"/);
  });

  it('works with prototype-like names', async () => {
    const input = multiBatch([[['__proto__', [new arrow.Int32(), [1]]], ['Constructor', ['string', [' x ']]]]]);
    // Value options use the input names: "constructor" (lower case) is not a column yet.
    expectInvalid(planError(normalizeProcessor, { op: 'normalize', column_names: 'snake_case', scale: { constructor: 'minmax' } }, input.schema), /Unknown column "constructor" in "scale"/);
    const ok = await normalize({ column_names: 'snake_case', trim: ['Constructor'] }, input);
    expect(names(ok)).toEqual(['proto', 'constructor']);
    expect(values(ok, 'constructor')).toEqual(['x']);
  });
});

describe('normalize plan errors', () => {
  it.each<[Record<string, unknown>, RegExp, RegExp]>([
    [{}, /nothing to do/, /column_names/],
    [{ trim: ['nope'] }, /Unknown column "nope" in "trim"/, /Available columns/],
    [{ trim: ['price'] }, /"trim" needs text columns; "price" is Float64/, /Text columns here: "name"/],
    [{ case: { id: 'upper' } }, /"case" needs text columns; "id" is Int32/, /"name"/],
    [{ scale: { name: 'minmax' } }, /"scale" needs numeric columns; "name" is Dictionary/, /Numeric columns here: "id", "price"/],
    [{ scale: { at: 'zscore' } }, /"scale" needs numeric columns; "at" is Timestamp/, /Cast the column first/],
  ])('%j', (step, message, hint) => {
    expectInvalid(planError(normalizeProcessor, { op: 'normalize', ...step }, sales().schema), message, hint);
  });

  it('refuses bad option values and __proto__ keys through the schema', () => {
    expect(normalizeProcessor.schema.safeParse({ op: 'normalize', column_names: 'camel' }).success).toBe(false);
    expect(normalizeProcessor.schema.safeParse({ op: 'normalize', scale: { id: 'log' } }).success).toBe(false);
    expect(normalizeProcessor.schema.safeParse({ op: 'normalize', trim: [] }).success).toBe(false);
    expect(normalizeProcessor.schema.safeParse(JSON.parse('{"op":"normalize","case":{"__proto__":"lower"}}')).success).toBe(false);
  });
});
