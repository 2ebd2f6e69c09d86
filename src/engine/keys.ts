/**
 * Key columns of a multi-batch table → dense int32 ids, the shared first step of aggregate,
 * deduplicate and join (DESIGN §10). Each key column goes through a `ColumnIndex` (raw
 * buffers, dictionary entries mapped once); composite keys fold column by column through a
 * pair table (or a flat array when the ids' product is small), so a row costs a few typed-array
 * reads per key column and never a string or an object.
 */
import type * as arrow from 'apache-arrow';
import { DataMcpError } from '../results/errors.js';
import { columnIndex, keyKind, StringIndex, type ColumnIndex, type KeyKind } from './key-columns.js';
import { PairTable } from './key-tables.js';
import { takeData } from './take.js';

export { keyKind, type KeyKind } from './key-columns.js';

export interface GroupIds {
  /** Group of every row (table order), 0..count-1, numbered by first appearance. */
  ids: Int32Array;
  count: number;
}

/** The chunks (one per batch) of a column; throws INTERNAL when a planned column is missing. */
export function columnChunks(table: arrow.Table, name: string): readonly arrow.Data[] {
  const vector = table.getChild(name);
  if (!vector) throw new DataMcpError('INTERNAL', `Column "${name}" is missing from the table.`, 'Retry; if it persists, report it.');
  return vector.data;
}

function kindOf(table: arrow.Table, name: string): KeyKind {
  const field = table.schema.fields.find((f) => f.name === name);
  const kind = field && keyKind(field.type);
  if (!kind) throw new DataMcpError('INTERNAL', `Column "${name}" cannot be a key.`, 'Retry; if it persists, report it.');
  return kind;
}

/**
 * Dense group ids over `columns` (SQL GROUP BY semantics: nulls form one group per column).
 * With no columns every row is group 0.
 */
export function groupIds(table: arrow.Table, columns: readonly string[]): GroupIds {
  const n = table.numRows;
  if (columns.length === 0) return { ids: new Int32Array(n), count: n > 0 ? 1 : 0 };
  let ids: Int32Array | undefined;
  let count = 0;
  for (const name of columns) {
    // Nulls get an id like any value, and ids follow first appearance, so one column needs no renumbering.
    const index = columnIndex(kindOf(table, name), 'group');
    const codes = new Int32Array(n);
    index.build(columnChunks(table, name), codes);
    if (ids === undefined) {
      ids = codes;
      count = index.size;
    } else count = foldInto(ids, count, codes, index.size);
  }
  return { ids: ids!, count };
}

/** The rows of one batch a fused filter kept: table-wide row numbers, increasing, and the batch's first row. */
export interface Selected {
  rows: Uint32Array;
  start: number;
}

/** Group ids batch by batch, for one pass of accumulators over each batch while its ids are hot in cache. */
export interface GroupStream {
  /** Groups seen so far: all of them once every batch has been asked for. */
  readonly count: number;
  /** Ids of the rows of batch `b` (batches in order); the array is reused by the next call. */
  idsOf(b: number): Int32Array;
  /** Ids of only the `selected` rows of batch `b`, as idsOf; undefined for several key columns. */
  idsOfSelected?(b: number, selected: Selected): Int32Array;
  /** With one text key column: its index and chunks, for work done per dictionary code (aggregate-codes.ts). */
  text?: { index: StringIndex; chunks: readonly arrow.Data[] };
}

/**
 * One key column is indexed batch by batch into one reused buffer, so no row-length id array
 * is made; several columns are folded for the whole table first (their pair table needs every
 * column's ids), then handed out a batch at a time. No columns: every row is group 0, and
 * there is always that one group (an aggregate without "by" has one output row).
 */
export function groupStream(table: arrow.Table, columns: readonly string[]): GroupStream {
  const sizes = table.batches.map((b) => b.numRows);
  const starts: number[] = [];
  let largest = 0;
  for (let b = 0, start = 0; b < sizes.length; start += sizes[b++]!) {
    starts.push(start);
    largest = Math.max(largest, sizes[b]!);
  }
  if (columns.length === 0) {
    const zeros = new Int32Array(largest);
    return { count: 1, idsOf: (b) => zeros.subarray(0, sizes[b]), idsOfSelected: (_b, selected) => zeros.subarray(0, selected.rows.length) };
  }
  if (columns.length > 1) {
    const all = groupIds(table, columns);
    return { count: all.count, idsOf: (b) => all.ids.subarray(starts[b], starts[b]! + sizes[b]!) };
  }
  const chunks = columnChunks(table, columns[0]!);
  const index = columnIndex(kindOf(table, columns[0]!), 'group');
  index.prepare(chunks);
  const buffer = new Int32Array(largest);
  return {
    get count() {
      return index.size;
    },
    idsOf(b) {
      index.buildChunk(chunks[b]!, buffer, 0);
      return buffer.subarray(0, sizes[b]);
    },
    idsOfSelected(b, selected) {
      index.buildChunk(takeData(chunks[b]!, selected.rows, selected.start), buffer, 0);
      return buffer.subarray(0, selected.rows.length);
    },
    text: index instanceof StringIndex ? { index, chunks } : undefined,
  };
}

/** Largest product of two cardinalities folded through a flat array instead of a hash table. */
const FLAT_PAIRS = 1 << 22;

/** Replaces `a` by dense ids (first appearance) of the pairs (a[i], b[i]); returns their count. */
function foldInto(a: Int32Array, cardA: number, b: Int32Array, cardB: number): number {
  const n = a.length;
  let next = 0;
  if (cardA * cardB <= Math.min(FLAT_PAIRS, Math.max(65_536, 2 * n))) {
    const map = new Int32Array(cardA * cardB);
    for (let i = 0; i < n; i++) {
      const key = a[i]! * cardB + b[i]!;
      let dense = map[key]!;
      if (dense === 0) map[key] = dense = ++next;
      a[i] = dense - 1;
    }
    return next;
  }
  const pairs = new PairTable(Math.min(n, cardA * cardB, 1 << 16));
  for (let i = 0; i < n; i++) a[i] = pairs.add(a[i]!, b[i]!);
  return pairs.size;
}

export interface JoinKeyIds {
  /** Key id of every row of each side, -1 where a key is null or (probe side) absent from the build side. */
  build: Int32Array;
  probe: Int32Array;
  /** Ids are below this bound. */
  bound: number;
  /** Probe rows whose id is -1. */
  probeMisses: number;
}

export interface KeySide {
  table: arrow.Table;
  columns: readonly string[];
}

/**
 * Key ids for a join: the build side's keys are indexed, the probe side's only looked up, so
 * the index holds the smaller side. SQL semantics: a null in any key column never matches.
 */
export function joinKeyIds(build: KeySide, probe: KeySide): JoinKeyIds {
  const nb = build.table.numRows;
  const np = probe.table.numRows;
  let buildIds: Int32Array | undefined;
  let probeIds: Int32Array | undefined;
  let bound = 0;
  let probeMisses = 0;
  for (let c = 0; c < build.columns.length; c++) {
    const kind = kindOf(build.table, build.columns[c]!);
    // A Null-typed column on either side matches nothing: its index is the null one.
    const index: ColumnIndex = columnIndex(kindOf(probe.table, probe.columns[c]!) === 'null' ? 'null' : kind, 'skip');
    const b = new Int32Array(nb);
    const p = new Int32Array(np);
    index.build(columnChunks(build.table, build.columns[c]!), b);
    const misses = index.lookup(columnChunks(probe.table, probe.columns[c]!), p);
    if (buildIds === undefined || probeIds === undefined) {
      buildIds = b;
      probeIds = p;
      bound = index.size;
      probeMisses = misses;
    } else ({ bound, probeMisses } = foldJoin(buildIds, probeIds, b, p));
  }
  return { build: buildIds ?? new Int32Array(nb), probe: probeIds ?? new Int32Array(np), bound, probeMisses };
}

/** Folds one more key column into both sides; a -1 anywhere stays -1. */
function foldJoin(buildIds: Int32Array, probeIds: Int32Array, b: Int32Array, p: Int32Array): { bound: number; probeMisses: number } {
  const pairs = new PairTable(Math.min(buildIds.length, 1 << 16));
  for (let i = 0; i < buildIds.length; i++) {
    buildIds[i] = buildIds[i]! < 0 || b[i]! < 0 ? -1 : pairs.add(buildIds[i]!, b[i]!);
  }
  let probeMisses = 0;
  for (let i = 0; i < probeIds.length; i++) {
    const id = probeIds[i]! < 0 || p[i]! < 0 ? -1 : pairs.find(probeIds[i]!, p[i]!);
    probeIds[i] = id;
    if (id < 0) probeMisses++;
  }
  return { bound: pairs.size, probeMisses };
}
