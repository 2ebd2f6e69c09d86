import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { deriveProcessor } from '../../../../src/engine/ops/derive.js';
import { typeName } from '../../../../src/formats/columns.js';
import { applyStep, expectInvalid, multiBatch, names, planCtx, planError, runCtx, sales, values } from './step-harness.js';

const derive = (columns: Record<string, string>, input = sales()) => applyStep(deriveProcessor, { op: 'derive', columns }, input);

describe('derive', () => {
  it('adds several columns over a multi-batch table, in order, each able to use the ones before', async () => {
    const out = await derive({
      total: 'price * 2 + id',
      label: "upper(trim(name)) || ' #' || id",
      with_tax: 'round(total * 1.2, 1)',
      month: "date_trunc('month', at)",
      big: 'if(total > 50, true, false)',
    });
    expect(names(out)).toEqual(['id', 'price', 'name', 'ok', 'at', 'total', 'label', 'with_tax', 'month', 'big']);
    expect(out.batches.length).toBe(3);
    expect(values(out, 'total')).toEqual([22, 42, null, 84, 105]);
    expect(values(out, 'label')).toEqual(['APPLE #1', 'BANANA #2', 'CHERRY #3', null, 'APPLE PIE #5']);
    expect(values(out, 'with_tax')).toEqual([26.4, 50.4, null, 100.8, 126]);
    expect(values(out, 'month')).toEqual([Date.UTC(2026, 8, 1), Date.UTC(2026, 8, 1), Date.UTC(2026, 8, 1), null, Date.UTC(2026, 11, 1)]);
    expect(values(out, 'big')).toEqual([false, false, false, true, true]);
    expect(out.schema.fields.slice(5).map((f) => typeName(f.type))).toEqual(['float64', 'string', 'float64', 'timestamp', 'bool']);
  });

  it('replaces an existing column in place (and its new type follows)', async () => {
    const out = await derive({ price: 'coalesce(price, 0) * 100', name: 'length(name)' });
    expect(names(out)).toEqual(['id', 'price', 'name', 'ok', 'at']);
    expect(values(out, 'price')).toEqual([1050, 2000, 0, 4000, 5000]);
    expect(values(out, 'name')).toEqual([5, 7, 6, null, 11]);
    expect(typeName(out.schema.fields[2]!.type)).toBe('int32');
  });

  it('later columns see the replaced value', async () => {
    const out = await derive({ id: 'id * 10', next: 'id + 1' });
    expect(values(out, 'next')).toEqual([11, 21, 31, 41, 51]);
  });

  it('copies a column under a new name, keeping its type and buffers', async () => {
    const input = sales();
    const out = await derive({ copy: 'name', when: '"at"' }, input);
    expect(out.batches[1]!.getChild('copy')!.data[0]).toBe(input.batches[1]!.getChild('name')!.data[0]);
    expect(values(out, 'when')).toEqual(values(input, 'at'));
  });

  it('works with Unicode, spaced and prototype-like column names', async () => {
    const input = multiBatch([
      [
        ['größe', [new arrow.Float64(), [1.5, null]]],
        ['unit price', [new arrow.Float64(), [2, 3]]],
        ['__proto__', ['string', ['a', 'b']]],
        ['constructor', [new arrow.Int32(), [7, 8]]],
      ],
    ]);
    const out = await derive({ 体积: 'größe * "unit price"', toString: 'upper("__proto__") || constructor', constructor: 'constructor + 1' }, input);
    expect(names(out)).toEqual(['größe', 'unit price', '__proto__', 'constructor', '体积', 'toString']);
    expect(values(out, '体积')).toEqual([3, null]);
    expect(values(out, 'toString')).toEqual(['A7', 'B8']);
    expect(values(out, 'constructor')).toEqual([8, 9]);
  });

  it('keeps injection-looking text as data', async () => {
    const out = await derive({ note: "'''); drop table x; --' || name" });
    expect(values(out, 'note')[0]).toBe("'); drop table x; --apple");
  });

  it('derives over an empty table and over empty batches', async () => {
    const empty = await derive({ total: 'price * 2', tag: "name || 'x'" }, sales().slice(0, 0));
    expect(empty.numRows).toBe(0);
    expect(names(empty)).toEqual(['id', 'price', 'name', 'ok', 'at', 'total', 'tag']);
    const noBatches = await derive({ total: 'price * 2', tag: "name || 'x'" }, new arrow.Table(sales().schema));
    expect(noBatches.numRows).toBe(0);
    expect(noBatches.schema.fields.map((f) => typeName(f.type))).toEqual(['int32', 'float64', 'string', 'bool', 'timestamp', 'float64', 'string']);
  });

  it('stops between batches when the call is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const step = deriveProcessor.schema.parse({ op: 'derive', columns: { x: 'id + 1' } });
    await expect(async () => deriveProcessor.run(step, sales(), runCtx(controller.signal))).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('plans exactly the schema it produces, for every kind of result', async () => {
    const columns = {
      a: 'id', b: 'price', c: 'name', d: 'ok', e: 'at', f: 'id + 1', g: 'year(at)', h: 'name || id', i: 'not ok', j: 'null', k: "date_trunc('week', at)", l: 'coalesce(price, id)', m: "if(ok, 'y', null)",
    };
    const input = sales();
    const step = deriveProcessor.schema.parse({ op: 'derive', columns });
    const planned = deriveProcessor.plan(step, input.schema, planCtx);
    const out = await deriveProcessor.run(step, input, runCtx());
    expect(out.schema.fields.map((f) => `${f.name}:${typeName(f.type)}`)).toEqual(planned.fields.map((f) => `${f.name}:${typeName(f.type)}`));
    await derive(columns, input); // applyStep also checks every batch's types against the plan
  });
});

describe('derive plan errors', () => {
  it.each<[Record<string, string>, RegExp, RegExp]>([
    [{ total: 'pricee * 2' }, /^derive "total": unknown column "pricee" at position 1 of "pricee \* 2"\.$/, /Available columns: "id", "price"/],
    [{ total: 'price * 2', bad: 'totl + 1' }, /derive "bad": unknown column "totl" at position 1/, /"total"/],
    [{ x: 'name + 1' }, /derive "x": expected a number here but found text \(column "name"\) at position 1/, /join text with \|\|/],
    [{ x: 'median(price)' }, /derive "x": unknown function "median" at position 1/, /Functions: lower\(text\)/],
    [{ x: "'abc" }, /derive "x": unterminated text/, /Close it with '/],
    [{ x: 'price +' }, /expected a value but found the end of the expression at position 8/, /Expressions use numbers/],
    [{ x: `${'('.repeat(40)}1${')'.repeat(40)}` }, /nests deeper than 32 levels at position 33/, /Remove redundant parentheses/],
    [{ x: "name = ''); drop table x; --" }, /unexpected character ";" at position 11/, /Expressions use/],
  ])('%j', (columns, message, hint) => {
    expectInvalid(planError(deriveProcessor, { op: 'derive', columns }, sales().schema), message, hint);
  });

  it('refuses over-long expressions in the schema, and again at plan time', () => {
    const long = `${'price + '.repeat(1250)}1`;
    expect(deriveProcessor.schema.safeParse({ op: 'derive', columns: { x: long } }).success).toBe(false);
    const err = (() => {
      try {
        deriveProcessor.plan({ op: 'derive', columns: { x: long } }, sales().schema, planCtx);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a failure');
    })();
    expect(err.message).toMatch(/derive "x": the expression is 10001 characters long; the limit is 2000/);
  });

  it('refuses a __proto__ key, empty maps and empty expressions through the schema', () => {
    expect(deriveProcessor.schema.safeParse(JSON.parse('{"op":"derive","columns":{"__proto__":"1"}}')).success).toBe(false);
    expect(deriveProcessor.schema.safeParse({ op: 'derive', columns: {} }).success).toBe(false);
    expect(deriveProcessor.schema.safeParse({ op: 'derive', columns: { x: '' } }).success).toBe(false);
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`c${i}`, '1']));
    expect(deriveProcessor.schema.safeParse({ op: 'derive', columns: many }).success).toBe(false);
  });
});
