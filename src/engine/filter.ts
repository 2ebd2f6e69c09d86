/**
 * Compiles the filter DSL against a schema (every column, op and literal is checked before any
 * data is read) into an evaluator over raw Arrow buffers (DESIGN §10): typed arrays and
 * validity bitmaps; for dictionary strings the predicate runs once per dictionary entry and
 * rows only look up their code.
 *
 * Null semantics are SQL's three-valued logic: a comparison with a null cell is unknown, `not`
 * of unknown is unknown, and only rows that are definitely true match. So `ne`/`not_in` never
 * match nulls; use `is_null` to find them.
 */
import * as arrow from 'apache-arrow';
import { int64ToNumbers, isValidAt } from '../formats/raw.js';
import { DataMcpError, invalidArgument } from '../results/errors.js';
import { filterBoundsProblem, type Filter, type FilterLeaf } from './filter-schema.js';
import { compareNumbers, compileLeaf, type LeafTest } from './filter-predicates.js';
import { selectNumbers, selectsDirectly } from './filter-select.js';

export * from './filter-schema.js';
export { takeRows } from './take.js';

const FALSE = 0;
const UNKNOWN = 1;
const TRUE = 2;

type Compiled =
  | { kind: 'leaf'; column: string; test: LeafTest }
  | { kind: 'and' | 'or'; children: Compiled[] }
  | { kind: 'not'; child: Compiled };

export type FilterEvaluator = (table: arrow.Table) => Uint32Array;

/** Every column a filter reads (so a projection can fetch them and drop them afterwards). */
export function filterColumns(filter: Filter): string[] {
  const columns = new Set<string>();
  const stack: Filter[] = [filter];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ('column' in node) columns.add(node.column);
    else if ('and' in node) stack.push(...node.and);
    else if ('or' in node) stack.push(...node.or);
    else stack.push(node.not);
  }
  return [...columns];
}

export function compileFilter(filter: Filter, schema: arrow.Schema): FilterEvaluator {
  const problem = filterBoundsProblem(filter);
  if (problem) throw invalidArgument(`Filter rejected: ${problem}.`, 'Simplify the filter: use "in" instead of many "or" branches.');
  const types = new Map(schema.fields.map((f) => [f.name, f.type] as const));
  const compiled = compileNode(filter, types);
  if (compiled.kind === 'leaf' && compiled.test.kind === 'number' && selectsDirectly(compiled.test.op)) {
    const { column, test } = compiled;
    return (table) => selectNumbers(test.op, test.values, columnOf(table, column).data);
  }
  return (table) => selectTrue(evaluate(compiled, table), table.numRows);
}

function compileNode(node: Filter, types: Map<string, arrow.DataType>): Compiled {
  if ('and' in node) return { kind: 'and', children: node.and.map((c) => compileNode(c, types)) };
  if ('or' in node) return { kind: 'or', children: node.or.map((c) => compileNode(c, types)) };
  if ('not' in node) return { kind: 'not', child: compileNode(node.not, types) };
  const leaf: FilterLeaf = node;
  const type = types.get(leaf.column);
  if (!type) {
    const available = [...types.keys()].slice(0, 50).map((c) => JSON.stringify(c)).join(', ');
    throw invalidArgument(`Filter references unknown column "${leaf.column}".`, `Available columns: ${available}. Column names are case-sensitive.`, { column: leaf.column });
  }
  return { kind: 'leaf', column: leaf.column, test: compileLeaf(leaf, type) };
}

function evaluate(node: Compiled, table: arrow.Table): Uint8Array {
  const n = table.numRows;
  if (node.kind === 'leaf') return evaluateLeaf(node.column, node.test, table);
  if (node.kind === 'not') {
    const inner = evaluate(node.child, table);
    for (let i = 0; i < n; i++) inner[i] = TRUE - inner[i]!;
    return inner;
  }
  const out = evaluate(node.children[0]!, table);
  for (let c = 1; c < node.children.length; c++) {
    const next = evaluate(node.children[c]!, table);
    // Kleene logic with FALSE < UNKNOWN < TRUE: and = min, or = max.
    if (node.kind === 'and') {
      for (let i = 0; i < n; i++) if (next[i]! < out[i]!) out[i] = next[i]!;
    } else {
      for (let i = 0; i < n; i++) if (next[i]! > out[i]!) out[i] = next[i]!;
    }
  }
  return out;
}

function columnOf(table: arrow.Table, column: string): arrow.Vector {
  const vector = table.getChild(column);
  if (!vector) throw new DataMcpError('INTERNAL', `Column "${column}" is missing from a batch.`, 'Retry; if it persists, report it.');
  return vector;
}

function evaluateLeaf(column: string, test: LeafTest, table: arrow.Table): Uint8Array {
  const vector = columnOf(table, column);
  const out = new Uint8Array(table.numRows);
  let base = 0;
  for (const data of vector.data) {
    evaluateChunk(test, data, out, base);
    base += data.length;
  }
  return out;
}

function evaluateChunk(test: LeafTest, data: arrow.Data, out: Uint8Array, base: number): void {
  const n = data.length;
  switch (test.kind) {
    case 'null_check': {
      out.fill(test.wantNull ? FALSE : TRUE, base, base + n);
      // Only null rows change: they become the opposite answer.
      forEachNull(data, (i) => (out[base + i] = test.wantNull ? TRUE : FALSE));
      return;
    }
    case 'never':
      out.fill(UNKNOWN, base, base + n);
      return;
    case 'bool': {
      const bits = data.values as Uint8Array;
      const ifTrue = test.test(true) ? TRUE : FALSE;
      const ifFalse = test.test(false) ? TRUE : FALSE;
      for (let i = 0, bit = data.offset; i < n; i++, bit++) out[base + i] = (bits[bit >> 3]! & (1 << (bit & 7))) !== 0 ? ifTrue : ifFalse;
      break;
    }
    case 'number': {
      const raw = data.values as ArrayLike<number> | BigInt64Array | BigUint64Array;
      const values = raw instanceof BigInt64Array || raw instanceof BigUint64Array ? int64ToNumbers(raw, raw instanceof BigInt64Array) : raw;
      compareNumbers(test.op, test.values, values, n, out, base);
      break;
    }
    case 'string':
      if (arrow.DataType.isDictionary(data.type)) {
        const perEntry = Uint8Array.from(dictionaryEntries(data.dictionary!), (s) => (s === undefined ? UNKNOWN : test.test(s) ? TRUE : FALSE));
        const codes = data.values as ArrayLike<number>;
        // A null row's code may point anywhere; forEachNull below overwrites it.
        for (let i = 0; i < n; i++) out[base + i] = perEntry[codes[i]!] ?? UNKNOWN;
      } else {
        const strings = utf8Strings(data);
        for (let i = 0; i < n; i++) out[base + i] = strings[i] === undefined ? UNKNOWN : test.test(strings[i]!) ? TRUE : FALSE;
      }
  }
  // Comparisons with a null cell are unknown, whatever the loop above wrote there.
  forEachNull(data, (i) => (out[base + i] = UNKNOWN));
}

/** Calls `visit` with each null row of a chunk, skipping whole bytes of valid rows. */
function forEachNull(data: arrow.Data, visit: (i: number) => void): void {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || bitmap == null || bitmap.length === 0) return;
  const n = data.length;
  const offset = data.offset;
  let i = 0;
  while (i < n) {
    const bit = offset + i;
    if ((bit & 7) === 0 && i + 8 <= n && bitmap[bit >> 3] === 0xff) {
      i += 8;
      continue;
    }
    if ((bitmap[bit >> 3]! & (1 << (bit & 7))) === 0) visit(i);
    i++;
  }
}

const decoder = new TextDecoder();
/** Dictionaries are shared by many batches and leaves: decode each one once. */
const decodedDictionaries = new WeakMap<arrow.Vector, (string | undefined)[]>();

function dictionaryEntries(dictionary: arrow.Vector): (string | undefined)[] {
  let entries = decodedDictionaries.get(dictionary);
  if (!entries) {
    entries = dictionary.data.flatMap(utf8Strings);
    decodedDictionaries.set(dictionary, entries);
  }
  return entries;
}

function utf8Strings(data: arrow.Data): (string | undefined)[] {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const out = new Array<string | undefined>(data.length);
  for (let i = 0; i < data.length; i++) {
    out[i] = isValidAt(data, i) ? decoder.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!)) : undefined;
  }
  return out;
}

/** Rows that are TRUE, increasing. Branch-free (TRUE >> 1 is 1, the others 0): about half the rows may match, unpredictably. */
function selectTrue(result: Uint8Array, n: number): Uint32Array {
  let count = 0;
  for (let i = 0; i < n; i++) count += result[i]! >> 1;
  // One spare slot: every row is written, and only a TRUE one moves the cursor past it.
  const indices = new Uint32Array(count + 1);
  for (let i = 0, k = 0; i < n; i++) {
    indices[k] = i;
    k += result[i]! >> 1;
  }
  return indices.subarray(0, count);
}
