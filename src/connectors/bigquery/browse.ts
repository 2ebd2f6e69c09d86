import type { Dataset, Table } from '@google-cloud/bigquery';
import type { ListEntry, ListPage, TableDescription } from '../types.js';
import { isAddressable } from '../path-guard.js';
import type { BigqueryHandle } from './client.js';
import { readableType, type BigqueryField } from './field-types.js';
import { untilAborted } from './wait.js';

/** BigQuery's own page cap for datasets.list / tables.list. */
export const MAX_BIGQUERY_PAGE = 1000;

/** With an allowlist the root lists exactly the allowlisted datasets, paged by name, without a call. */
export function listAllowlisted(datasets: readonly string[], limit: number, cursor: string | undefined): ListPage {
  const sorted = [...datasets].sort();
  const after = cursor === undefined ? sorted : sorted.filter((d) => `${d}/` > cursor);
  const entries: ListEntry[] = after.slice(0, limit).map((d) => ({ name: d, path: `${d}/`, kind: 'prefix' }));
  const last = entries[entries.length - 1];
  return after.length > limit && last ? { entries, nextCursor: last.path } : { entries };
}

interface PageResponse {
  nextPageToken?: string;
}

/** datasets.list of the project; the cursor is BigQuery's page token. */
export async function listDatasets({ client }: BigqueryHandle, limit: number, cursor: string | undefined, signal: AbortSignal): Promise<ListPage> {
  const [datasets, , response] = await untilAborted(
    client.getDatasets({ maxResults: limit, autoPaginate: false, ...(cursor !== undefined ? { pageToken: cursor } : {}) }),
    signal,
  );
  const entries = datasets
    .map((d: Dataset): ListEntry => ({ name: d.id ?? '', path: `${d.id ?? ''}/`, kind: 'prefix' }))
    .filter((e) => e.name !== '' && isAddressable(e.path));
  const next = (response as PageResponse | undefined)?.nextPageToken;
  return next ? { entries, nextCursor: next } : { entries };
}

/** tables.list of one dataset: tables, views and external tables, all as `table` entries. */
export async function listTables({ client }: BigqueryHandle, dataset: string, limit: number, cursor: string | undefined, signal: AbortSignal): Promise<ListPage> {
  const [tables, , response] = await untilAborted(
    client.dataset(dataset).getTables({ maxResults: limit, autoPaginate: false, ...(cursor !== undefined ? { pageToken: cursor } : {}) }),
    signal,
  );
  const entries = tables
    .map((t: Table): ListEntry => ({ name: t.id ?? '', path: `${dataset}/${t.id ?? ''}`, kind: 'table' }))
    .filter((e) => e.name !== '' && isAddressable(e.path));
  const next = (response as PageResponse | undefined)?.nextPageToken;
  return next ? { entries, nextCursor: next } : { entries };
}

interface TableMetadata {
  type?: string;
  description?: string;
  numRows?: string;
  schema?: { fields?: BigqueryField[] };
  timePartitioning?: { type?: string; field?: string };
  rangePartitioning?: { field?: string };
  clustering?: { fields?: string[] };
  tableConstraints?: { primaryKey?: { columns?: string[] } };
}

/**
 * tables.get: columns with readable types, the exact row count of a table (`numRows`, which
 * excludes rows still in the streaming buffer; views have none), and partitioning, clustering
 * and primary key as keys and in the comment — they decide how many bytes a query scans.
 */
export async function describe({ client }: BigqueryHandle, dataset: string, table: string, path: string, signal: AbortSignal): Promise<TableDescription> {
  const [raw] = await untilAborted(client.dataset(dataset).table(table).getMetadata(), signal);
  const meta = raw as TableMetadata;
  const fields = meta.schema?.fields ?? [];
  const columns = fields.map((f) => ({ name: f.name ?? '', type: readableType(f), nullable: (f.mode ?? 'NULLABLE').toUpperCase() !== 'REQUIRED' }));
  const rows = meta.numRows !== undefined ? Number(meta.numRows) : undefined;
  const keys: NonNullable<TableDescription['keys']> = [];
  const partitionField = meta.timePartitioning?.field ?? meta.rangePartitioning?.field;
  if (partitionField) keys.push({ name: partitionField, role: 'partition' });
  for (const name of meta.clustering?.fields ?? []) keys.push({ name, role: 'sort' });
  for (const name of meta.tableConstraints?.primaryKey?.columns ?? []) keys.push({ name, role: 'primary' });
  const notes = [
    meta.type && meta.type !== 'TABLE' ? `${meta.type.toLowerCase().replace('_', ' ')}` : undefined,
    meta.description,
    partitioning(meta),
    meta.clustering?.fields?.length ? `clustered by ${meta.clustering.fields.join(', ')}` : undefined,
  ].filter((n): n is string => Boolean(n));
  return {
    path,
    columns,
    ...(rows !== undefined && Number.isFinite(rows) ? { rowCount: rows } : {}),
    rowCountExact: rows !== undefined && Number.isFinite(rows),
    ...(keys.length > 0 ? { keys } : {}),
    ...(notes.length > 0 ? { comment: notes.join('; ') } : {}),
  };
}

function partitioning(meta: TableMetadata): string | undefined {
  const time = meta.timePartitioning;
  if (time) return `partitioned by ${(time.type ?? 'DAY').toLowerCase()} on ${time.field ?? '_PARTITIONTIME (ingestion time)'}: filter on it to scan fewer bytes`;
  if (meta.rangePartitioning?.field) return `range-partitioned on ${meta.rangePartitioning.field}: filter on it to scan fewer bytes`;
  return undefined;
}
