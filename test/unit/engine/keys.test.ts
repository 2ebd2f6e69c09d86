import { describe, expect, it } from 'vitest';
import { groupIds, joinKeyIds } from '../../../src/engine/keys.js';
import { BytesTable, NumberTable, PairTable } from '../../../src/engine/key-tables.js';
import { batchedTable, seeded, type ColumnSpec, type Row } from './ops/step-tables.js';

const ids = (spec: Record<string, ColumnSpec>, rows: Row[], columns: string[], batchRows = 2) => {
  const { ids: out, count } = groupIds(batchedTable(spec, rows, batchRows), columns);
  return { ids: Array.from(out), count };
};

describe('groupIds', () => {
  it('numbers groups by first appearance across batches with different dictionaries; null is one group', () => {
    const rows = ['b', 'a', null, 'b', 'c', null, 'a'].map((s) => ({ s }));
    for (const batchRows of [1, 2, 3, 7]) {
      expect(ids({ s: 'string' }, rows, ['s'], batchRows)).toEqual({ ids: [0, 1, 2, 0, 3, 2, 1], count: 4 });
      expect(ids({ s: 'utf8' }, rows, ['s'], batchRows)).toEqual({ ids: [0, 1, 2, 0, 3, 2, 1], count: 4 });
    }
  });

  it('gives the same groups whether integers index an array (narrow range) or a hash table (wide range)', () => {
    const narrow = [5, 3, 5, null, 4, 3].map((k) => ({ k }));
    const wide = [5e8, -3e8, 5e8, null, 4, -3e8].map((k) => ({ k }));
    expect(ids({ k: 'int32' }, narrow, ['k'])).toEqual({ ids: [0, 1, 0, 2, 3, 1], count: 4 });
    expect(ids({ k: 'int32' }, wide, ['k'])).toEqual({ ids: [0, 1, 0, 2, 3, 1], count: 4 });
    expect(ids({ k: 'int64' }, wide, ['k'])).toEqual({ ids: [0, 1, 0, 2, 3, 1], count: 4 });
    expect(ids({ k: 'timestamp' }, wide.map((r) => ({ k: r.k === null ? null : 1.7e12 + r.k })), ['k'])).toEqual({ ids: [0, 1, 0, 2, 3, 1], count: 4 });
  });

  it('groups bools and Null-typed columns', () => {
    expect(ids({ b: 'bool' }, [true, false, null, true].map((b) => ({ b })), ['b'])).toEqual({ ids: [0, 1, 2, 0], count: 3 });
    expect(ids({ z: 'null' }, [{ z: null }, { z: null }], ['z'])).toEqual({ ids: [0, 0], count: 1 });
  });

  it('folds composite keys, nulls included, by first appearance', () => {
    const rows = [
      { a: 'x', b: 1 },
      { a: 'x', b: 2 },
      { a: 'y', b: 1 },
      { a: 'x', b: 1 },
      { a: null, b: null },
      { a: null, b: null },
      { a: 'y', b: null },
    ];
    expect(ids({ a: 'string', b: 'int32' }, rows, ['a', 'b'])).toEqual({ ids: [0, 1, 2, 0, 3, 3, 4], count: 5 });
    expect(groupIds(batchedTable({ a: 'string' }, [], 2), []).count).toBe(0);
    expect(Array.from(groupIds(batchedTable({ a: 'string' }, rows, 2), []).ids)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('agrees with a Set on many distinct values (tables grow) and on wide composite keys (pair table)', () => {
    const random = seeded(7);
    const rows = Array.from({ length: 60_000 }, () => ({ f: Math.floor(random() * 40_000) / 3, k: Math.floor(random() * 1e9), s: `s${Math.floor(random() * 300)}` }));
    const distinct = (key: (r: Row) => string) => new Set(rows.map(key)).size;
    expect(groupIds(batchedTable({ f: 'float64' }, rows, 5000), ['f']).count).toBe(distinct((r) => String(r.f)));
    expect(groupIds(batchedTable({ k: 'int32' }, rows, 5000), ['k']).count).toBe(distinct((r) => String(r.k)));
    const both = groupIds(batchedTable({ f: 'float64', s: 'string' }, rows, 5000), ['f', 's']);
    expect(both.count).toBe(distinct((r) => `${String(r.f)}|${String(r.s)}`));
  });
});

describe('joinKeyIds', () => {
  it('shares ids between sides: int with float by value, dictionary with plain text; nulls and absent keys are -1', () => {
    const build = batchedTable({ k: 'float64', s: 'string' }, [{ k: 1, s: 'a' }, { k: 2.5, s: 'b' }, { k: null, s: 'a' }, { k: 1, s: 'é' }], 2);
    const probe = batchedTable({ k: 'int32', s: 'utf8' }, [{ k: 1, s: 'a' }, { k: 2, s: 'b' }, { k: 1, s: 'é' }, { k: null, s: 'a' }, { k: 1, s: null }], 2);
    const single = joinKeyIds({ table: build, columns: ['k'] }, { table: probe, columns: ['k'] });
    expect(Array.from(single.build)).toEqual([0, 1, -1, 0]);
    expect(Array.from(single.probe)).toEqual([0, -1, 0, -1, 0]);
    const both = joinKeyIds({ table: build, columns: ['k', 's'] }, { table: probe, columns: ['k', 's'] });
    expect(Array.from(both.build).map((id) => id >= 0)).toEqual([true, true, false, true]);
    expect(Array.from(both.probe)).toEqual([both.build[0], -1, both.build[3], -1, -1]);
  });

  it('looks up floats that fall between the integers of a directly indexed build side', () => {
    const build = batchedTable({ k: 'int32' }, [{ k: 1 }, { k: 2 }, { k: 3 }], 2);
    const probe = batchedTable({ k: 'float64' }, [{ k: 2 }, { k: 2.5 }, { k: -1 }, { k: 99 }, { k: NaN }], 2);
    expect(Array.from(joinKeyIds({ table: build, columns: ['k'] }, { table: probe, columns: ['k'] }).probe)).toEqual([1, -1, -1, -1, -1]);
  });
});

describe('hash tables', () => {
  it('NumberTable: -0 is 0, NaN is one value, ids stable through growth', () => {
    const t = new NumberTable();
    expect([t.add(0), t.add(-0), t.add(NaN), t.add(NaN), t.add(1.5)]).toEqual([0, 0, 1, 1, 2]);
    for (let i = 0; i < 5000; i++) t.add(i + 0.25);
    expect(t.find(1.5)).toBe(2);
    expect(t.find(NaN)).toBe(1);
    expect(t.find(4999.25)).toBe(5002);
    expect(t.find(7)).toBe(-1);
  });

  it('PairTable and BytesTable hand out ids in insertion order and find them again', () => {
    const p = new PairTable();
    for (let i = 0; i < 3000; i++) expect(p.add(i % 50, i)).toBe(i);
    expect(p.find(10, 10)).toBe(10);
    expect(p.find(10, 11)).toBe(-1);
    const b = new BytesTable();
    const enc = new TextEncoder();
    const words = Array.from({ length: 3000 }, (_, i) => enc.encode(`wörd-${i}`));
    words.forEach((w, i) => expect(b.add(w, 0, w.length)).toBe(i));
    expect(b.add(words[42]!, 0, words[42]!.length)).toBe(42);
    expect(b.find(enc.encode(''), 0, 0)).toBe(-1);
    expect(b.add(enc.encode(''), 0, 0)).toBe(3000);
  });
});
