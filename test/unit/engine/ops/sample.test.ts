import type * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE_SEED, mulberry32, reservoir, sampleProcessor, type SampleStep } from '../../../../src/engine/ops/sample.js';
import { batchedTable, errorOf, expectSameSchema, planContext, runContext, valuesOf } from './step-tables.js';

const ROWS = Array.from({ length: 1000 }, (_, id) => ({ id, name: id % 7 === 0 ? null : `name ${id % 13} ✓`, x: id % 5 === 0 ? null : id / 2 }));
const SPEC = { id: 'int32', name: 'string', x: 'float64' } as const;
const TABLE = batchedTable(SPEC, ROWS, 64);

function sampled(fields: Omit<SampleStep, 'op'>, input: arrow.Table = TABLE): arrow.Table {
  const step = sampleProcessor.schema.parse({ op: 'sample', ...fields });
  const planned = sampleProcessor.plan(step, input.schema, planContext());
  const out = sampleProcessor.run(step, input, runContext()) as arrow.Table;
  expectSameSchema(planned, out.schema);
  return out;
}
const ids = (t: arrow.Table): number[] => valuesOf(t, 'id') as number[];

describe('sample rows (reservoir)', () => {
  it('returns exactly `rows` distinct rows in input order, each with its own values', () => {
    const out = sampled({ rows: 50 });
    const got = ids(out);
    expect(got).toHaveLength(50);
    expect(new Set(got).size).toBe(50);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(valuesOf(out, 'name')).toEqual(got.map((id) => ROWS[id]!.name));
    expect(valuesOf(out, 'x')).toEqual(got.map((id) => ROWS[id]!.x));
  });

  it('is deterministic per seed; the default seed is 42', () => {
    expect(ids(sampled({ rows: 20, seed: 5 }))).toEqual(ids(sampled({ rows: 20, seed: 5 })));
    expect(ids(sampled({ rows: 20 }))).toEqual(ids(sampled({ rows: 20, seed: DEFAULT_SAMPLE_SEED })));
    expect(DEFAULT_SAMPLE_SEED).toBe(42);
    expect(ids(sampled({ rows: 20, seed: 5 }))).not.toEqual(ids(sampled({ rows: 20, seed: 6 })));
  });

  it('returns every row when asking for at least as many as there are, and nothing from an empty input', () => {
    expect(sampled({ rows: 1000 })).toBe(TABLE);
    expect(sampled({ rows: 5000 })).toBe(TABLE);
    expect(sampled({ rows: 3 }, batchedTable(SPEC, [], 4)).numRows).toBe(0);
  });

  it('picks every row equally often over many seeds', () => {
    const n = 20;
    const k = 5;
    const seeds = 4000;
    const counts = new Array<number>(n).fill(0);
    for (let seed = 0; seed < seeds; seed++) {
      const chosen = reservoir(n, k, mulberry32(seed));
      expect(new Set(chosen).size).toBe(k);
      for (const i of chosen) counts[i]!++;
    }
    // Expected 1000 each; the standard deviation is about 27.
    for (const c of counts) expect(Math.abs(c - (seeds * k) / n)).toBeLessThan(130);
  });

  it('covers a long input evenly (Algorithm L skips ahead correctly)', () => {
    const n = 100_000;
    const buckets = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 500; seed++) for (const i of reservoir(n, 10, mulberry32(seed))) buckets[Math.floor(i / (n / 10))]!++;
    // 5000 picks, 500 expected per bucket, standard deviation about 21.
    for (const b of buckets) expect(Math.abs(b - 500)).toBeLessThan(100);
  });
});

describe('sample fraction (Bernoulli)', () => {
  it('keeps about fraction × rows, in input order, deterministically', () => {
    const big = batchedTable({ id: 'int32' }, Array.from({ length: 20_000 }, (_, id) => ({ id })), 1000);
    const got = ids(sampled({ fraction: 0.1, seed: 3 }, big));
    // Binomial(20000, 0.1): mean 2000, standard deviation about 42.
    expect(Math.abs(got.length - 2000)).toBeLessThan(200);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(ids(sampled({ fraction: 0.1, seed: 3 }, big))).toEqual(got);
    expect(ids(sampled({ fraction: 0.1, seed: 4 }, big))).not.toEqual(got);
  });

  it('keeps every row at fraction 1, and at least sometimes none at a tiny fraction', () => {
    expect(sampled({ fraction: 1 })).toBe(TABLE);
    expect(sampled({ fraction: 1e-9 }).numRows).toBe(0);
  });

  it('stops when the call is cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => sampleProcessor.run({ op: 'sample', fraction: 0.5 }, TABLE, { ...runContext(), signal: controller.signal })).toThrow(/abort/i);
  });
});

describe('sample plan errors', () => {
  const plan = (fields: Record<string, unknown>) => () => sampleProcessor.plan({ op: 'sample', ...fields } as SampleStep, TABLE.schema, planContext());

  it.each([
    ['neither rows nor fraction', {}, /exactly one/, /"rows":1000/],
    ['both rows and fraction', { rows: 10, fraction: 0.5 }, /not both/, /"fraction":0.1/],
    ['fraction 0', { fraction: 0 }, /"fraction"/, /share/],
    ['fraction above 1', { fraction: 1.5 }, /"fraction"/, /share/],
    ['negative fraction', { fraction: -0.1 }, /"fraction"/, /share/],
    ['negative rows', { rows: -5 }, /"rows"/, /whole number/],
    ['zero rows', { rows: 0 }, /"rows"/, /whole number/],
    ['fractional rows', { rows: 1.5 }, /"rows"/, /whole number/],
    ['negative seed', { rows: 5, seed: -1 }, /"seed"/, /default seed/],
    ['fractional seed', { rows: 5, seed: 0.5 }, /"seed"/, /default seed/],
  ])('%s: rejected by plan with a hint (and by the schema where one field alone is wrong)', (_name, fields, message, hint) => {
    const err = errorOf(plan(fields));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toMatch(message);
    expect(err.hint).toMatch(hint);
    if (Object.keys(fields).length === 1 || 'seed' in fields) expect(sampleProcessor.schema.safeParse({ op: 'sample', ...fields }).success).toBe(false);
  });

  it('rejects unknown fields and non-numbers in the schema', () => {
    expect(sampleProcessor.schema.safeParse({ op: 'sample', rows: 5, percent: 10 }).success).toBe(false);
    expect(sampleProcessor.schema.safeParse({ op: 'sample', fraction: '0.5' }).success).toBe(false);
  });
});
