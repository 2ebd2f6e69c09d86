/**
 * One Parquet row group → one Arrow table. The column chunks it needs are fetched together
 * (one ranged read when they are adjacent), flat columns are decoded straight from their pages
 * (parquet-flat.ts) and the rest through hyparquet (parquet-fallback.ts).
 *
 * With a `select` callback the filter runs first: its columns are decoded alone, `select`
 * picks the rows to keep, and only those rows of the other columns are built — the cost of a
 * selective filter then scales with the rows kept, not the rows scanned.
 */
import type * as arrow from 'apache-arrow';
import type { AsyncBuffer, ColumnChunk, FileMetaData, RowGroup } from 'hyparquet';
import { takeRows } from '../engine/take.js';
import { tableFromColumns } from './columns.js';
import { readWithHyparquet, toArrow } from './parquet-fallback.js';
import { decodeFlat, type FlatSpec } from './parquet-flat.js';
import type { ParquetColumn } from './parquet-types.js';

/** Row numbers (relative to the group, ascending) to keep, given the group's filter columns. */
export type RowSelector = (filterColumns: arrow.Table) => Int32Array;

export interface GroupColumn extends ParquetColumn {
  /** Present when the flat decoder handles the column. */
  flat: FlatSpec | undefined;
}

export interface GroupRead {
  file: AsyncBuffer;
  metadata: FileMetaData;
  group: RowGroup;
  /** First row of the group in the file. */
  rowStart: number;
  columns: readonly GroupColumn[];
  /** With `select`: the columns it needs (a subset of `columns`), decoded first. */
  filterColumns?: readonly string[];
  select?: RowSelector;
}

/** Unused bytes between two needed column chunks that are still fetched to save a round trip. */
const GAP_BYTES = 64 * 1024;

export async function readRowGroup(read: GroupRead): Promise<arrow.Table> {
  const rows = Number(read.group.num_rows);
  const fetched = await fetchChunks(read);
  const decode = (columns: readonly GroupColumn[], selection?: Int32Array) => decodeColumns(read, fetched, columns, rows, selection);
  const names = read.columns.map((c) => c.name);
  if (!read.select || !read.filterColumns) {
    return tableFromColumns(names, await decode(read.columns), rows);
  }
  const wanted = new Set(read.filterColumns);
  const first = read.columns.filter((c) => wanted.has(c.name));
  const filterTable = tableFromColumns(first.map((c) => c.name), await decode(first), rows);
  const selection = read.select(filterTable);
  checkSelection(selection, rows);
  const restColumns = read.columns.filter((c) => !wanted.has(c.name));
  const assemble = (filterPart: arrow.Table, restData: arrow.Data[], length: number) =>
    tableFromColumns(names, read.columns.map((c) => (wanted.has(c.name) ? filterPart.getChild(c.name)!.data[0]! : restData[restColumns.indexOf(c)]!)), length);
  // Everything kept: nothing to gather.
  if (selection.length === rows) return assemble(filterTable, await decode(restColumns), rows);
  if (selection.length === 0) {
    return tableFromColumns(names, read.columns.map((c) => toArrow(c, [], 0)), 0);
  }
  return assemble(takeRows(filterTable, selection), await decode(restColumns, selection), selection.length);
}

/** The decoders gather by walking pages in order: a selection must be ascending, without repeats, inside the group. */
function checkSelection(selection: Int32Array, rows: number): void {
  for (let i = 0; i < selection.length; i++) {
    const row = selection[i]!;
    if (row < 0 || row >= rows || (i > 0 && row <= selection[i - 1]!)) throw new RangeError(`row selection is not ascending within the ${rows}-row group`);
  }
}

async function decodeColumns(read: GroupRead, fetched: Fetched, columns: readonly GroupColumn[], rows: number, selection?: Int32Array): Promise<arrow.Data[]> {
  const out = new Array<arrow.Data | undefined>(columns.length);
  const slow: GroupColumn[] = [];
  for (const [i, column] of columns.entries()) {
    const chunk = column.flat ? chunkOf(read.group, column.name) : undefined;
    const bytes = chunk?.meta_data ? fetched.bytesOf(chunk) : undefined;
    out[i] = bytes && column.flat ? decodeFlat(bytes, chunk!.meta_data!.codec, column.flat, rows, selection) : undefined;
    if (!out[i]) slow.push(column);
  }
  if (slow.length > 0) {
    const data = await readWithHyparquet(fetched.file, read.metadata, slow, read.rowStart, read.rowStart + rows, selection);
    for (const [k, column] of slow.entries()) out[columns.indexOf(column)] = data[k];
  }
  return out as arrow.Data[];
}

interface Fetched {
  /** The file, answering reads inside the fetched ranges from memory (for hyparquet). */
  file: AsyncBuffer;
  bytesOf(chunk: ColumnChunk): Uint8Array | undefined;
}

/** Fetches the chunks of every column read here, adjacent ones (gaps up to GAP_BYTES) in one request. */
async function fetchChunks(read: GroupRead): Promise<Fetched> {
  const names = new Set(read.columns.map((c) => c.name));
  const ranges = read.group.columns
    .map((c) => c.meta_data)
    .filter((m): m is NonNullable<typeof m> => m !== undefined && names.has(m.path_in_schema[0]!))
    .map((m) => ({ start: chunkStart(m), end: chunkStart(m) + Number(m.total_compressed_size) }))
    .sort((a, b) => a.start - b.start);
  const runs: { start: number; end: number }[] = [];
  for (const range of ranges) {
    const last = runs[runs.length - 1];
    if (last && range.start <= last.end + GAP_BYTES) last.end = Math.max(last.end, range.end);
    else runs.push({ ...range });
  }
  const buffers = await Promise.all(runs.map((run) => read.file.slice(run.start, Math.min(run.end, read.file.byteLength))));
  const find = (start: number, end: number): { at: number; buffer: ArrayBuffer } | undefined => {
    const i = runs.findIndex((run, k) => run.start <= start && end <= run.start + buffers[k]!.byteLength);
    return i < 0 ? undefined : { at: start - runs[i]!.start, buffer: buffers[i]! };
  };
  return {
    file: {
      byteLength: read.file.byteLength,
      slice: (start, end = read.file.byteLength) => {
        const hit = find(start, end);
        return hit ? hit.buffer.slice(hit.at, hit.at + (end - start)) : read.file.slice(start, end);
      },
    },
    bytesOf: (chunk) => {
      const meta = chunk.meta_data!;
      const start = chunkStart(meta);
      const end = start + Number(meta.total_compressed_size);
      const hit = find(start, end);
      return hit ? new Uint8Array(hit.buffer, hit.at, end - start) : undefined;
    },
  };
}

/** Where a chunk starts: its dictionary page if it has one (some writers leave that offset 0). */
function chunkStart(meta: NonNullable<ColumnChunk['meta_data']>): number {
  return Number(meta.dictionary_page_offset || meta.data_page_offset);
}

function chunkOf(group: RowGroup, column: string): ColumnChunk | undefined {
  return group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === column);
}
