import type { Field, GetStatementResultResponse } from '@aws-sdk/client-redshift-data';
import type { Table } from 'apache-arrow';
import type { RedshiftHandle } from './client.js';
import { redshiftError } from './errors.js';
import { recordsToTable, resultColumns, type DataApiField, type ResultColumn } from './records.js';

export interface FirstRows {
  table: Table;
  columns: ResultColumn[];
  complete: boolean;
  totalRows?: number;
  more?: () => AsyncIterable<Table>;
}

interface ResultRef {
  handle: RedshiftHandle;
  id: string;
  connector: string;
}

/** Per-page budget for `more()`: it runs after the call returned, without the call's signal. */
const PAGE_REQUEST_MS = 60_000;

/**
 * Reads GetStatementResult pages — every one, following NextToken — until `maxRows` rows are
 * in hand. The rows beyond `maxRows` on the last page read (at most one upstream page) are
 * kept for `more()`, which then continues from the NextToken one page at a time, so rows are
 * never all held at once and never held twice.
 */
export async function readFirstRows(ref: ResultRef, maxRows: number, signal: AbortSignal): Promise<FirstRows> {
  const buffered: Field[][] = [];
  let columns: ResultColumn[] | undefined;
  let totalRows: number | undefined;
  let token: string | undefined;
  do {
    const page = await fetchPage(ref, token, signal);
    columns ??= resultColumns(page.ColumnMetadata ?? []);
    if (totalRows === undefined && typeof page.TotalNumRows === 'number' && page.TotalNumRows >= 0) totalRows = page.TotalNumRows;
    for (const record of page.Records ?? []) buffered.push(record);
    token = page.NextToken || undefined;
  } while (token !== undefined && buffered.length < maxRows);

  const cols = columns ?? [];
  const first = buffered.length > maxRows ? buffered.slice(0, maxRows) : buffered;
  const leftover = buffered.length > maxRows ? buffered.slice(maxRows) : [];
  const table = recordsToTable(cols, asFields(first));
  const complete = leftover.length === 0 && token === undefined;
  const base = { table, columns: cols, complete, ...(totalRows !== undefined ? { totalRows } : {}) };
  if (complete) return base;
  const resumeAt = token;
  return { ...base, more: () => laterPages(ref, cols, leftover, resumeAt) };
}

/** Every row of a small result (EXPLAIN output), all pages. */
export async function readAllRows(ref: ResultRef, signal: AbortSignal): Promise<Table> {
  return (await readFirstRows(ref, Number.MAX_SAFE_INTEGER, signal)).table;
}

async function* laterPages(ref: ResultRef, columns: ResultColumn[], leftover: Field[][], token: string | undefined): AsyncGenerator<Table> {
  if (leftover.length > 0) yield recordsToTable(columns, asFields(leftover));
  let next = token;
  while (next !== undefined) {
    const page = await fetchPage(ref, next, AbortSignal.timeout(PAGE_REQUEST_MS));
    next = page.NextToken || undefined;
    yield recordsToTable(columns, asFields(page.Records ?? []));
  }
}

async function fetchPage(ref: ResultRef, token: string | undefined, signal: AbortSignal): Promise<GetStatementResultResponse> {
  const { sdk, client } = ref.handle;
  try {
    return await client.send(new sdk.GetStatementResultCommand({ Id: ref.id, ...(token !== undefined ? { NextToken: token } : {}) }), { abortSignal: signal });
  } catch (error) {
    throw redshiftError(error, { connector: ref.connector, operation: 'GetStatementResult', subject: 'the query result', signal, statementId: ref.id });
  }
}

/** The SDK's `Field` is a tagged union; the builders read it as one loose shape. */
const asFields = (records: Field[][]): DataApiField[][] => records as DataApiField[][];
