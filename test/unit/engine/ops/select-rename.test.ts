import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { renameProcessor } from '../../../../src/engine/ops/rename.js';
import { selectProcessor } from '../../../../src/engine/ops/select.js';
import { applyStep, expectInvalid, multiBatch, names, planError, sales, values } from './step-harness.js';

describe('select', () => {
  it('keeps the named columns in the order given, sharing the input buffers', async () => {
    const input = sales();
    const out = await applyStep(selectProcessor, { op: 'select', columns: ['name', 'id'] }, input);
    expect(names(out)).toEqual(['name', 'id']);
    expect(out.batches.length).toBe(3);
    expect(values(out, 'name')).toEqual(['apple', 'Banana ', 'cherry', null, '  apple pie']);
    expect(out.batches[1]!.data.children[0]).toBe(input.batches[1]!.data.children[2]);
  });

  it('refuses an unknown column, listing the available ones', () => {
    const err = planError(selectProcessor, { op: 'select', columns: ['id', 'Name'] }, sales().schema);
    expectInvalid(err, /Unknown column "Name" in "columns"/, /Available columns: "id", "price", "name", "ok", "at".*case-sensitive/);
  });

  it('refuses a column listed twice', () => {
    expectInvalid(planError(selectProcessor, { op: 'select', columns: ['id', 'name', 'id'] }, sales().schema), /"id" is listed twice/, /List each column once/);
  });

  it('refuses an empty list, an empty name and unknown fields through the schema', () => {
    expect(selectProcessor.schema.safeParse({ op: 'select', columns: [] }).success).toBe(false);
    expect(selectProcessor.schema.safeParse({ op: 'select', columns: [''] }).success).toBe(false);
    expect(selectProcessor.schema.safeParse({ op: 'select', columns: ['id'], extra: 1 }).success).toBe(false);
    expect(selectProcessor.schema.safeParse({ op: 'select', columns: Array.from({ length: 1001 }, (_, i) => `c${i}`) }).success).toBe(false);
  });

  it('selects columns named like Object.prototype members and Unicode names', async () => {
    const input = multiBatch([
      [
        ['__proto__', [new arrow.Int32(), [1]]],
        ['constructor', ['string', ['x']]],
        ['größe €', [new arrow.Float64(), [2.5]]],
      ],
    ]);
    const out = await applyStep(selectProcessor, { op: 'select', columns: ['größe €', '__proto__', 'constructor'] }, input);
    expect(names(out)).toEqual(['größe €', '__proto__', 'constructor']);
    expect(values(out, '__proto__')).toEqual([1]);
    expectInvalid(planError(selectProcessor, { op: 'select', columns: ['toString'] }, input.schema), /Unknown column "toString"/);
  });

  it('keeps the schema of an empty table', async () => {
    const out = await applyStep(selectProcessor, { op: 'select', columns: ['at'] }, sales().slice(0, 0));
    expect(out.numRows).toBe(0);
    expect(names(out)).toEqual(['at']);
  });
});

describe('rename', () => {
  it('renames in place and keeps the data', async () => {
    const input = sales();
    const out = await applyStep(renameProcessor, { op: 'rename', columns: { name: 'product', at: 'ordered_at' } }, input);
    expect(names(out)).toEqual(['id', 'price', 'product', 'ok', 'ordered_at']);
    expect(values(out, 'product')).toEqual(values(input, 'name'));
    expect(out.batches[2]!.data.children[2]).toBe(input.batches[2]!.data.children[2]);
  });

  it('swaps names when no two output columns collide', async () => {
    const out = await applyStep(renameProcessor, { op: 'rename', columns: { id: 'price', price: 'id' } }, sales());
    expect(names(out)).toEqual(['price', 'id', 'name', 'ok', 'at']);
    expect(values(out, 'price')).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses renaming onto a column that stays', () => {
    const err = planError(renameProcessor, { op: 'rename', columns: { name: 'price' } }, sales().schema);
    expectInvalid(err, /two columns the name "price": "name" → "price" and the existing column "price"/, /Pick a new name/);
  });

  it('refuses two columns renamed to one name', () => {
    const err = planError(renameProcessor, { op: 'rename', columns: { name: 'x', ok: 'x' } }, sales().schema);
    expectInvalid(err, /two columns the name "x": "ok" → "x" and "name" → "x"/);
  });

  it('refuses an unknown old name', () => {
    expectInvalid(planError(renameProcessor, { op: 'rename', columns: { nme: 'x' } }, sales().schema), /Unknown column "nme" in "columns" \(names to rename\)/, /Available columns/);
  });

  it('refuses an empty map, empty new names and a __proto__ key (which zod would drop silently)', () => {
    expect(renameProcessor.schema.safeParse({ op: 'rename', columns: {} }).success).toBe(false);
    expect(renameProcessor.schema.safeParse({ op: 'rename', columns: { id: '' } }).success).toBe(false);
    const proto = renameProcessor.schema.safeParse(JSON.parse('{"op":"rename","columns":{"__proto__":"p","id":"x"}}'));
    expect(proto.success).toBe(false);
    expect(proto.error?.issues[0]?.message).toMatch(/"__proto__" cannot be a key here; derive a copy/);
  });

  it('renames "constructor" and renames onto "__proto__"', async () => {
    const input = multiBatch([[['constructor', [new arrow.Int32(), [1, 2]]]], [['constructor', [new arrow.Int32(), [3]]]]]);
    const out = await applyStep(renameProcessor, JSON.parse('{"op":"rename","columns":{"constructor":"__proto__"}}'), input);
    expect(names(out)).toEqual(['__proto__']);
    expect(values(out, '__proto__')).toEqual([1, 2, 3]);
  });
});
