/**
 * Leaf predicates of the filter DSL, checked against the column type before any data is read.
 * A compiled leaf is a plain JS test over the column's native representation: numbers for
 * numeric, timestamp (epoch in the column's unit) and date columns; strings; booleans.
 */
import * as arrow from 'apache-arrow';
import { parseIsoMillis } from '../formats/infer.js';
import { typeName } from '../formats/columns.js';
import { invalidArgument } from '../results/errors.js';
import type { FilterLeaf, FilterScalar } from './filter-schema.js';

export type ColumnClass = 'number' | 'timestamp' | 'string' | 'bool' | 'null';

export type LeafTest =
  | { kind: 'null_check'; wantNull: boolean }
  | { kind: 'number'; op: FilterLeaf['op']; values: number[]; test: (x: number) => boolean }
  | { kind: 'string'; test: (x: string) => boolean }
  | { kind: 'bool'; test: (x: boolean) => boolean }
  | { kind: 'never' };

export function columnClassOf(type: arrow.DataType): ColumnClass | undefined {
  if (arrow.DataType.isNull(type)) return 'null';
  if (arrow.DataType.isFloat(type) && type.precision === arrow.Precision.HALF) return undefined;
  if (arrow.DataType.isInt(type) || arrow.DataType.isFloat(type)) return 'number';
  if (arrow.DataType.isTimestamp(type) || arrow.DataType.isDate(type)) return 'timestamp';
  if (arrow.DataType.isBool(type)) return 'bool';
  if (arrow.DataType.isUtf8(type)) return 'string';
  if (arrow.DataType.isDictionary(type) && arrow.DataType.isUtf8(type.dictionary)) return 'string';
  return undefined;
}

/** Multiplier from epoch milliseconds to the native unit of a time column. */
export function millisToUnit(type: arrow.DataType): number {
  if (arrow.DataType.isDate(type)) return type.unit === arrow.DateUnit.DAY ? 1 / 86_400_000 : 1;
  if (arrow.DataType.isTimestamp(type)) return [1 / 1000, 1, 1000, 1_000_000][type.unit] ?? 1;
  return 1;
}

const ORDERED_OPS = new Set(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in', 'between']);
const TEXT_OPS = new Set(['contains', 'starts_with', 'ends_with']);

export function compileLeaf(leaf: FilterLeaf, type: arrow.DataType): LeafTest {
  const cls = columnClassOf(type);
  const where = `Filter on column "${leaf.column}" (${typeName(type)}), op "${leaf.op}"`;
  if (cls === undefined) {
    throw invalidArgument(`${where}: columns of type ${type.toString()} cannot be filtered.`, 'Filter on number, string, bool or timestamp columns.', { column: leaf.column, op: leaf.op });
  }
  if (leaf.op === 'is_null' || leaf.op === 'is_not_null') {
    if (leaf.value !== undefined) throw invalidArgument(`${where}: takes no value.`, 'Remove "value" for is_null / is_not_null.', { column: leaf.column, op: leaf.op });
    return { kind: 'null_check', wantNull: leaf.op === 'is_null' };
  }
  const allowed = cls === 'string' ? true : cls === 'bool' ? ['eq', 'ne', 'in', 'not_in'].includes(leaf.op) : ORDERED_OPS.has(leaf.op);
  if (!allowed || (TEXT_OPS.has(leaf.op) && cls !== 'string')) {
    const ops = cls === 'bool' ? 'eq, ne, in, not_in, is_null, is_not_null' : 'eq, ne, lt, lte, gt, gte, in, not_in, between, is_null, is_not_null';
    throw invalidArgument(`${where}: "${leaf.op}" does not apply to ${typeName(type)} columns.`, `Ops for this column: ${ops}.`, { column: leaf.column, op: leaf.op });
  }
  if (cls === 'null') return { kind: 'never' };
  const convert = converterFor(cls, type, where);
  const values = shapeValues(leaf, where, describeExpected(cls)).map(convert);
  if (cls === 'bool') return { kind: 'bool', test: buildTest(leaf.op, values as boolean[]) };
  if (cls === 'string') return { kind: 'string', test: buildTest(leaf.op, values as string[]) };
  return { kind: 'number', op: leaf.op, values: values as number[], test: buildTest(leaf.op, values as number[]) };
}

function describeExpected(cls: ColumnClass): string {
  return cls === 'number' ? 'a number' : cls === 'timestamp' ? 'an ISO-8601 timestamp string (e.g. "2026-09-01" or "2026-09-01T12:00:00Z")' : cls === 'bool' ? 'true or false' : 'a string';
}

/** The literal values of a leaf as a list, checked against the op's arity. */
function shapeValues(leaf: FilterLeaf, where: string, expected: string): FilterScalar[] {
  const { op, value } = leaf;
  const detail = { column: leaf.column, op };
  if (op === 'in' || op === 'not_in' || op === 'between') {
    const isList = Array.isArray(value);
    if (!isList || value.length === 0 || (op === 'between' && value.length !== 2)) {
      const shape = op === 'between' ? `[low, high], each ${expected}` : `a non-empty list, each ${expected}`;
      throw invalidArgument(`${where}: value must be ${shape}.`, `Example: {"column": "${leaf.column}", "op": "${op}", "value": [...]}.`, detail);
    }
    return value;
  }
  if (value === undefined || Array.isArray(value)) {
    throw invalidArgument(`${where}: value must be ${expected}${value === undefined ? ', and is missing' : ', not a list'}.`, op === 'eq' ? 'Use "in" to compare with several values; use is_null to find nulls.' : `Give one value: ${expected}.`, detail);
  }
  return [value];
}

function converterFor(cls: ColumnClass, type: arrow.DataType, where: string): (v: FilterScalar) => FilterScalar {
  const mismatch = (v: FilterScalar): never => {
    throw invalidArgument(`${where}: expected ${describeExpected(cls)}, got ${typeof v} ${JSON.stringify(v)}.`, `Compare ${typeName(type)} columns with ${describeExpected(cls)}.`, { expected: describeExpected(cls) });
  };
  switch (cls) {
    case 'number':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? v : mismatch(v));
    case 'bool':
      return (v) => (typeof v === 'boolean' ? v : mismatch(v));
    case 'string':
      return (v) => (typeof v === 'string' ? v : mismatch(v));
    default: {
      const scale = millisToUnit(type);
      return (v) => {
        const ms = typeof v === 'string' ? parseIsoMillis(v) : undefined;
        return ms === undefined ? mismatch(v) : ms * scale;
      };
    }
  }
}

const TRUE = 2;

/**
 * Writes TRUE (2) or FALSE (0) into out[base + i] for each value of a numeric column, one
 * tight loop per op so no closure is called per row. The comparisons are the same JS
 * expressions as buildTest's (NaN compares as it does there); nulls are the caller's job.
 */
export function compareNumbers(op: FilterLeaf['op'], literals: number[], values: ArrayLike<number>, n: number, out: Uint8Array, base: number): void {
  const a = literals[0]!;
  const b = literals[1]!;
  switch (op) {
    case 'eq':
      for (let i = 0; i < n; i++) out[base + i] = values[i] === a ? TRUE : 0;
      return;
    case 'ne':
      for (let i = 0; i < n; i++) out[base + i] = values[i] !== a ? TRUE : 0;
      return;
    case 'lt':
      for (let i = 0; i < n; i++) out[base + i] = values[i]! < a ? TRUE : 0;
      return;
    case 'lte':
      for (let i = 0; i < n; i++) out[base + i] = values[i]! <= a ? TRUE : 0;
      return;
    case 'gt':
      for (let i = 0; i < n; i++) out[base + i] = values[i]! > a ? TRUE : 0;
      return;
    case 'gte':
      for (let i = 0; i < n; i++) out[base + i] = values[i]! >= a ? TRUE : 0;
      return;
    case 'between':
      for (let i = 0; i < n; i++) {
        const x = values[i]!;
        out[base + i] = x >= a && x <= b ? TRUE : 0;
      }
      return;
    case 'in':
    case 'not_in': {
      const set = new Set(literals);
      const hit = op === 'in' ? TRUE : 0;
      for (let i = 0; i < n; i++) out[base + i] = set.has(values[i]!) ? hit : TRUE - hit;
      return;
    }
    default:
      throw new Error(`unreachable numeric op ${op}`);
  }
}

function buildTest<T extends number | string | boolean>(op: FilterLeaf['op'], values: T[]): (x: T) => boolean {
  const [a, b] = values as [T, T];
  switch (op) {
    case 'eq':
      return (x) => x === a;
    case 'ne':
      return (x) => x !== a;
    case 'lt':
      return (x) => x < a;
    case 'lte':
      return (x) => x <= a;
    case 'gt':
      return (x) => x > a;
    case 'gte':
      return (x) => x >= a;
    case 'between':
      return (x) => x >= a && x <= b;
    case 'in': {
      const set = new Set(values);
      return (x) => set.has(x);
    }
    case 'not_in': {
      const set = new Set(values);
      return (x) => !set.has(x);
    }
    case 'contains':
      return (x) => (x as string).includes(a as string);
    case 'starts_with':
      return (x) => (x as string).startsWith(a as string);
    case 'ends_with':
      return (x) => (x as string).endsWith(a as string);
    default:
      throw new Error(`unreachable op ${op}`);
  }
}
