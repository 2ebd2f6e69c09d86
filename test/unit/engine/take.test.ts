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
