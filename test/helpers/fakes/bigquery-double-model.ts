/**
 * Data model of the BigQuery REST test double: the catalog (datasets, tables with schemas and
 * rows) and canned query results. Wire shapes follow the BigQuery v2 REST API: every cell
 * value is a string (or null), rows are `{f: [{v}]}`, nested RECORDs are `{f: [...]}` and
 * REPEATED values are `[{v}]`.
 */

export interface BqField {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  fields?: BqField[];
  description?: string;
}

/** A wire cell value: a string, null, a nested record `{f}` or a repeated list `[{v}]`. */
export type WireValue = string | null | { f: Array<{ v: WireValue }> } | Array<{ v: WireValue }>;
export interface WireRow {
  f: Array<{ v: WireValue }>;
}

/** Shorthand for tests: plain cells (string/null/arrays/records) → a wire row. */
export type PlainCell = string | null | PlainCell[] | { record: PlainCell[] };

export function wireValue(cell: PlainCell): WireValue {
  if (cell === null || typeof cell === 'string') return cell;
  if (Array.isArray(cell)) return cell.map((c) => ({ v: wireValue(c) }));
  return { f: cell.record.map((c) => ({ v: wireValue(c) })) };
}

export function wireRow(...cells: PlainCell[]): WireRow {
  return { f: cells.map((c) => ({ v: wireValue(c) })) };
}

export interface TableSpec {
  schema: BqField[];
  rows?: WireRow[];
  type?: 'TABLE' | 'VIEW' | 'MATERIALIZED_VIEW' | 'EXTERNAL';
  description?: string;
  timePartitioning?: { type: string; field?: string };
  clustering?: { fields: string[] };
  primaryKey?: string[];
}

export interface DatasetSpec {
  location?: string;
  tables: Map<string, TableSpec>;
}

/** A canned result for one exact SQL text. */
export interface CannedQuery {
  sql: string;
  schema: BqField[];
  rows: WireRow[];
  /** Reported by the dry run (and as the job's bytes processed). */
  bytesProcessed: number;
  /** Bytes billed by the real run (defaults to bytesProcessed); over maximumBytesBilled the job fails. */
  bytesBilled?: number;
  /** Rows per response at most (BigQuery caps responses by size); default: unlimited. */
  pageSize?: number;
  /** The job stays RUNNING until cancelled (for cancel and timeout tests). */
  hold?: boolean;
  statementType?: string;
  referencedTables?: Array<{ datasetId: string; tableId: string; projectId?: string }>;
  /** The job fails at run time with this error (after a clean dry run). */
  runError?: { code: number; reason: string; message: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface JobState {
  jobId: string;
  projectId: string;
  location: string;
  dryRun: boolean;
  configuration: Record<string, unknown>;
  canned: CannedQuery;
  state: 'RUNNING' | 'DONE';
  cancelled: boolean;
  error?: { code: number; reason: string; message: string };
}

/** A BigQuery-shaped error body. */
export function errorBody(code: number, reason: string, message: string): Record<string, unknown> {
  const status = code === 404 ? 'NOT_FOUND' : code === 401 ? 'UNAUTHENTICATED' : code === 403 ? 'PERMISSION_DENIED' : code >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT';
  return { error: { code, message, status, errors: [{ reason, message, domain: 'global' }] } };
}

/** Timestamp cells are stored as int64 microseconds; without useInt64Timestamp BigQuery sends float seconds. */
export function timestampsAsFloatSeconds(rows: WireRow[], schema: BqField[]): WireRow[] {
  const convert = (value: WireValue, field: BqField): WireValue => {
    if (value === null) return null;
    if (Array.isArray(value)) return value.map((c) => ({ v: convert(c.v, { ...field, mode: 'NULLABLE' }) }));
    if (typeof value === 'object') return { f: value.f.map((c, i) => ({ v: convert(c.v, field.fields?.[i] ?? field) })) };
    return field.type === 'TIMESTAMP' ? (Number(value) / 1e6).toExponential() : value;
  };
  return rows.map((row) => ({ f: row.f.map((c, i) => ({ v: convert(c.v, schema[i]!) })) }));
}
