import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { profileTable, type ColumnProfile } from '../../../src/engine/profile.js';
import { HLL_RELATIVE_ERROR } from '../../../src/engine/hyperloglog.js';
import { readCsvBatches } from '../../../src/formats/csv.js';
import { unifyTables } from '../../../src/formats/unify.js';
import { memorySource } from '../../helpers/byte-source.js';
import { collectBatches } from '../../helpers/arrow-values.js';

// Read with 2-row batches, so every column spans several chunks and each string chunk has its own dictionary.
const CSV = `id,price,name,ok,at,empty
3,10.5,apple,true,2026-09-01,
1,20,banana,false,2026-09-02T12:00:00Z,
2,,apple,,2026-09-03,
2,40,,true,,
5,50,cherry,true,2026-09-05,`;

async function csvTable(text = CSV, batchRows = 2): Promise<arrow.Table> {
  return unifyTables(await collectBatches(readCsvBatches(memorySource(text, 'f.csv'), { batchRows })));
}

function byName(profiles: ColumnProfile[], name: string): ColumnProfile {
  const found = profiles.find((p) => p.name === name);
  if (!found) throw new Error(`no profile for ${name}`);
  return found;
}

function sampleStddev(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
}

describe('profileTable on a small csv (several batches, several dictionaries)', () => {
  it('ints: exact counts, moments, quantiles and top values', async () => {
    const p = byName(profileTable(await csvTable()), 'id');
    expect(p).toMatchObject({ type: 'int', count: 5, nulls: 0, distinct: 4, distinctMethod: 'exact', distinctError: null, min: 1, max: 5, quantileMethod: 'exact', topMethod: 'exact', topMaxUndercount: 0 });
    expect(p.mean).toBeCloseTo(13 / 5, 12);
    expect(p.stddev).toBeCloseTo(sampleStddev([3, 1, 2, 2, 5]), 12);
    // Sorted 1 2 2 3 5: linear interpolation at (n-1)p = 1, 2, 3.
    expect(p.quantiles).toEqual({ p25: 2, p50: 2, p75: 3 });
    expect(p.top).toEqual([
      { value: 2, count: 2 },
      { value: 1, count: 1 },
      { value: 3, count: 1 },
      { value: 5, count: 1 },
    ]);
  });

  it('floats with a null: nulls stay out of every statistic; no top values for floats', async () => {
    const p = byName(profileTable(await csvTable()), 'price');
    expect(p).toMatchObject({ type: 'float', count: 4, nulls: 1, distinct: 4, min: 10.5, max: 50, top: null, topMethod: null });
    expect(p.mean).toBeCloseTo((10.5 + 20 + 40 + 50) / 4, 12);
    expect(p.stddev).toBeCloseTo(sampleStddev([10.5, 20, 40, 50]), 12);
    // Sorted 10.5 20 40 50: positions 0.75, 1.5, 2.25.
    expect(p.quantiles?.p25).toBeCloseTo(10.5 + 0.75 * 9.5, 12);
    expect(p.quantiles?.p50).toBeCloseTo(30, 12);
    expect(p.quantiles?.p75).toBeCloseTo(42.5, 12);
  });

  it('dictionary strings: counts merged by value across batches, lexicographic min/max', async () => {
    const table = await csvTable();
    expect(arrow.DataType.isDictionary(table.getChild('name')!.type)).toBe(true);
    expect(table.getChild('name')!.data.length).toBeGreaterThan(1);
    const p = byName(profileTable(table), 'name');
    expect(p).toMatchObject({ type: 'string', count: 4, nulls: 1, distinct: 3, distinctMethod: 'exact', min: 'apple', max: 'cherry', mean: null, stddev: null, quantiles: null });
    expect(p.top).toEqual([
      { value: 'apple', count: 2 },
      { value: 'banana', count: 1 },
      { value: 'cherry', count: 1 },
    ]);
  });

  it('bools: true/false counts', async () => {
    const p = byName(profileTable(await csvTable()), 'ok');
    expect(p).toMatchObject({ type: 'bool', count: 4, nulls: 1, distinct: 2, min: false, max: true, mean: null, quantiles: null });
    expect(p.top).toEqual([
      { value: true, count: 3 },
      { value: false, count: 1 },
    ]);
  });

  it('timestamps: ISO min/max/quantiles, no mean', async () => {
    const p = byName(profileTable(await csvTable()), 'at');
    expect(p).toMatchObject({ type: 'timestamp', count: 4, nulls: 1, distinct: 4, min: '2026-09-01T00:00:00.000Z', max: '2026-09-05T00:00:00.000Z', mean: null, stddev: null, top: null });
    // Sorted 09-01, 09-02T12, 09-03, 09-05 at positions 0.75 (27 h into a 36 h gap), 1.5 and 2.25.
    expect(p.quantiles).toEqual({ p25: '2026-09-02T03:00:00.000Z', p50: '2026-09-02T18:00:00.000Z', p75: '2026-09-03T12:00:00.000Z' });
  });

  it('an all-null column: counts only, distinct 0', async () => {
    const p = byName(profileTable(await csvTable()), 'empty');
    expect(p).toMatchObject({ count: 0, nulls: 5, distinct: 0, distinctMethod: 'exact', min: null, max: null, mean: null, stddev: null, quantiles: null });
  });
});

describe('profileTable on hand-built Arrow columns', () => {
  it('plain (non-dictionary) utf8 strings', () => {
    const table = new arrow.Table({ s: arrow.vectorFromArray(['pear', null, 'fig', 'pear', 'Zebra'], new arrow.Utf8()) });
    const [p] = profileTable(table);
    expect(p).toMatchObject({ type: 'string', count: 4, nulls: 1, distinct: 3, min: 'Zebra', max: 'pear' });
    expect(p?.top).toEqual([
      { value: 'pear', count: 2 },
      { value: 'Zebra', count: 1 },
      { value: 'fig', count: 1 },
    ]);
  });

  it('int64 (BigInt storage) and microsecond timestamps read from their raw buffers', () => {
    const table = new arrow.Table({
      big: arrow.vectorFromArray([10n, null, -4n, 10n], new arrow.Int64()),
      us: arrow.vectorFromArray([Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 3), null], new arrow.TimestampMicrosecond()),
    });
    const [big, us] = profileTable(table);
    expect(big).toMatchObject({ type: 'int64', count: 3, nulls: 1, distinct: 2, min: -4, max: 10, top: [{ value: 10, count: 2 }, { value: -4, count: 1 }] });
    expect(big?.mean).toBeCloseTo(16 / 3, 12);
    expect(us).toMatchObject({ count: 2, min: '2026-01-01T00:00:00.000Z', max: '2026-01-03T00:00:00.000Z', quantiles: { p50: '2026-01-02T00:00:00.000Z' } });
  });

  it('a typed column of nulls, and a single value (no stddev)', () => {
    const table = new arrow.Table({ f: arrow.vectorFromArray([null, null], new arrow.Float64()), one: arrow.vectorFromArray([7], new arrow.Int32()) });
    const [f, one] = profileTable(table);
    expect(f).toMatchObject({ type: 'float', count: 0, nulls: 2, distinct: 0, min: null, max: null, mean: null, stddev: null, quantiles: null });
    expect(one).toMatchObject({ count: 1, mean: 7, stddev: null, quantiles: { p25: 7, p50: 7, p75: 7 } });
  });

  it('a sliced table honours bit offsets of validity and bool buffers', () => {
    const values = [true, null, false, true, true, null, false, true, false, true, true];
    const full = new arrow.Table({ b: arrow.vectorFromArray(values, new arrow.Bool()), n: arrow.vectorFromArray(values.map((v) => (v === null ? null : v ? 1 : 0)), new arrow.Int32()) });
    const sliced = full.slice(3, 10);
    const expected = new arrow.Table({ b: arrow.vectorFromArray(values.slice(3, 10), new arrow.Bool()), n: arrow.vectorFromArray(values.slice(3, 10).map((v) => (v === null ? null : v ? 1 : 0)), new arrow.Int32()) });
    expect(profileTable(sliced)).toEqual(profileTable(expected));
    expect(profileTable(sliced)[0]).toMatchObject({ count: 6, nulls: 1, top: [{ value: true, count: 4 }, { value: false, count: 2 }] });
  });

  it('cuts long text in min/max/top to maxValueLength', () => {
    const long = 'x'.repeat(40);
    const [p] = profileTable(new arrow.Table({ s: arrow.vectorFromArray([long, long], new arrow.Utf8()) }), { maxValueLength: 10 });
    expect(p?.min).toBe(`${'x'.repeat(9)}…`);
    expect(p?.top).toEqual([{ value: `${'x'.repeat(9)}…`, count: 2 }]);
    expect(p?.distinct).toBe(1);
  });

  it('NaN counts as a value but stays out of the moments', () => {
    const [p] = profileTable(new arrow.Table({ f: arrow.vectorFromArray([1, Number.NaN, 3], new arrow.Float64()) }));
    expect(p).toMatchObject({ count: 3, distinct: 3, min: 1, max: 3, mean: 2, quantiles: { p50: 2 } });
  });

  it('an empty table, and a table with columns but no rows', () => {
    expect(profileTable(new arrow.Table())).toEqual([]);
    const [p] = profileTable(new arrow.Table({ s: arrow.vectorFromArray([] as string[], new arrow.Utf8()) }));
    expect(p).toMatchObject({ count: 0, nulls: 0, distinct: 0, min: null, max: null, top: [] });
  });

  it('refuses nonsense options', () => {
    const table = new arrow.Table({ n: arrow.vectorFromArray([1], new arrow.Int32()) });
    expect(() => profileTable(table, { topK: 0 })).toThrow(RangeError);
    expect(() => profileTable(table, { exactDistinctLimit: 1.5 })).toThrow(RangeError);
  });
});

describe('approximations past the exact limits', () => {
  const N = 200_000;

  it('HyperLogLog estimates 200k distinct ints and strings within 3 standard errors', () => {
    const ints = Int32Array.from({ length: N }, (_, i) => i * 7 - 500_000);
    const strings = Array.from({ length: N }, (_, i) => `user-${i}@example.com`);
    const table = new arrow.Table({ i: arrow.makeVector(ints), s: arrow.vectorFromArray(strings, new arrow.Utf8()) });
    for (const p of profileTable(table)) {
      expect(p.distinctMethod, p.name).toBe('hll');
      expect(p.distinctError).toBe(HLL_RELATIVE_ERROR);
      expect(Math.abs(p.distinct! - N) / N, p.name).toBeLessThan(3 * HLL_RELATIVE_ERROR);
      expect(p.count).toBe(N);
    }
  });

  it('below the limit the same column is exact', () => {
    const table = new arrow.Table({ i: arrow.makeVector(Int32Array.from({ length: 5000 }, (_, i) => i % 4000)) });
    expect(profileTable(table, { exactDistinctLimit: 4000 })[0]).toMatchObject({ distinct: 4000, distinctMethod: 'exact' });
    expect(profileTable(table, { exactDistinctLimit: 3999 })[0]?.distinctMethod).toBe('hll');
  });

  it('Misra–Gries keeps a heavy hitter on top, with a count inside its stated bound', () => {
    // 100k unique values plus one value repeated 30k times, interleaved.
    const values = Array.from({ length: 130_000 }, (_, i) => (i % 13 < 3 ? 'HEAVY' : `v${i}`));
    const heavy = values.filter((v) => v === 'HEAVY').length;
    const [p] = profileTable(new arrow.Table({ s: arrow.vectorFromArray(values, new arrow.Utf8()) }), { exactDistinctLimit: 1000 });
    expect(p?.topMethod).toBe('misra_gries');
    const bound = p!.topMaxUndercount!;
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThanOrEqual(values.length / 1001);
    expect(p?.top?.[0]?.value).toBe('HEAVY');
    expect(p!.top![0]!.count).toBeLessThanOrEqual(heavy);
    expect(p!.top![0]!.count).toBeGreaterThanOrEqual(heavy - bound);
  });

  it('reservoir quantiles land near the true ranks, and are reproducible', () => {
    const table = new arrow.Table({ n: arrow.makeVector(Float64Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_000)) });
    const [p] = profileTable(table, { exactQuantileLimit: 4096 });
    expect(p?.quantileMethod).toBe('reservoir');
    // Standard deviation of the rank error is ≤ 0.5/sqrt(4096) ≈ 0.8%; allow 4 of them.
    expect(Math.abs((p!.quantiles!.p25 as number) - 25_000)).toBeLessThan(3_200);
    expect(Math.abs((p!.quantiles!.p50 as number) - 50_000)).toBeLessThan(3_200);
    expect(Math.abs((p!.quantiles!.p75 as number) - 75_000)).toBeLessThan(3_200);
    expect(profileTable(table, { exactQuantileLimit: 4096 })[0]?.quantiles).toEqual(p?.quantiles);
    expect(profileTable(table)[0]).toMatchObject({ quantileMethod: 'exact', quantiles: { p50: 49_999.5 } });
  });
});
