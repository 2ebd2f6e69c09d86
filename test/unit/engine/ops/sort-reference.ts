/**
 * A naive, obviously-correct sort over row objects with DuckDB's semantics (NULLS LAST by
 * default, NaN above every number, strings in UTF-8 byte order), stable. The oracle for the
 * property tests of the sort processor, and the random data they run on.
 */
import type { SortStep } from '../../../../src/engine/ops/sort.js';
import type { ColumnSpec, Row } from './step-tables.js';

type Key = SortStep['by'][number];

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new Error(`cannot compare ${typeof a} with ${typeof b}`);
}

export function referenceSort(rows: readonly Row[], by: readonly Key[]): Row[] {
  const indexed = rows.map((row, index) => ({ row, index }));
  indexed.sort((x, y) => {
    for (const key of by) {
      const a = x.row[key.column];
      const b = y.row[key.column];
      const aNull = a == null;
      const bNull = b == null;
      if (aNull || bNull) {
        if (aNull && bNull) continue;
        const nullsFirst = key.nulls === 'first';
        return aNull === nullsFirst ? -1 : 1;
      }
      const c = compareValues(a, b);
      if (c !== 0) return key.order === 'desc' ? -c : c;
    }
    return x.index - y.index;
  });
  return indexed.map((x) => x.row);
}

export const STRINGS = ['', 'a', 'A', 'ab', 'b', 'B', 'z', 'é', 'É', 'e\u0301', 'Ω', '日本', '\uE000', '\uFFFD', '😀', '𝔘', 'zz', 'a b', 'ä'];

/** Every sortable column type, with nulls, ties, NaN and infinities, unicode strings. */
export const RANDOM_SPEC: Record<string, ColumnSpec> = {
  id: 'int32',
  i: 'int32',
  big: 'int64',
  f: 'float64',
  s: 'string',
  u: 'utf8',
  b: 'bool',
  t: 'timestamp',
  none: 'null',
};

export function randomRows(random: () => number, n: number): Row[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const maybe = <T>(v: T): T | null => (random() < 0.15 ? null : v);
  const floats = [NaN, Infinity, -Infinity, 0, -0, 1.5, -2.25, 1e300, -1e-300];
  return Array.from({ length: n }, (_, id) => ({
    id,
    i: maybe(Math.floor(random() * 7) - 3),
    big: maybe(Math.floor(random() * 5) * 2 ** 40 - 2 ** 41),
    f: maybe(random() < 0.4 ? pick(floats) : Math.round(random() * 100) / 4),
    s: maybe(pick(STRINGS)),
    u: maybe(pick(STRINGS)),
    b: maybe(random() < 0.5),
    t: maybe(Date.UTC(2026, 0, 1) + Math.floor(random() * 5) * 3_600_000),
    none: null,
  }));
}

export function randomKeys(random: () => number, columns: readonly string[]): Key[] {
  const count = 1 + Math.floor(random() * 3);
  return Array.from({ length: count }, () => {
    const key: Key = { column: columns[Math.floor(random() * columns.length)]! };
    const order = random();
    if (order < 0.4) key.order = 'desc';
    else if (order < 0.7) key.order = 'asc';
    const nulls = random();
    if (nulls < 0.3) key.nulls = 'first';
    else if (nulls < 0.5) key.nulls = 'last';
    return key;
  });
}
