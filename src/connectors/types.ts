import type { Table } from 'apache-arrow';

/**
 * The connector contract (DESIGN §9). Connectors are the only place a cloud SDK is imported.
 * Tools never hold a connector directly: the gate hands one out after authorization.
 *
 * Paths are connector-relative, canonical (see policy/paths.ts), `/`-separated, with no
 * leading slash. A trailing `/` means a prefix (folder). For object stores the first segment
 * is the bucket; for `local` the path is relative to the configured root.
 */
export const CAPABILITIES = ['list', 'stat', 'read_object', 'read_table', 'query', 'write', 'delete'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Identity of the cloud credentials a call runs under; never holds secret material. */
export interface CredentialScope {
  /** Stable, non-secret id, e.g. `aws:profile:prod`, `aws:role:arn:...`, `aws:static:3f2a9c`, `none`. */
  id: string;
  /** Resolved credential material for the SDK; never logged, cached or audited. */
  material?: AwsCredentialMaterial;
  /** GCP credential material (gcs, bigquery); a separate field so AWS code keeps its narrow type. */
  gcpMaterial?: GcpCredentialMaterial;
}

export interface GcpCredentialMaterial {
  kind: 'gcp';
  /** Service-account key file (JSON); never read into errors or logs. */
  keyFile?: string;
  /** Service account e-mail to impersonate, on top of `keyFile` or Application Default Credentials. */
  impersonate?: string;
}

export interface AwsCredentialMaterial {
  kind: 'aws';
  profile?: string;
  roleArn?: string;
  externalId?: string;
  sessionTags?: Record<string, string>;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  region?: string;
}

export interface CallOptions {
  signal: AbortSignal;
  credentials: CredentialScope;
  /**
   * open() only: the caller will retry on a stale version, so a connector may skip the request
   * that open would make and trust what it last saw of the object (S3: size and ETag), as long
   * as every read validates it (If-Match). A read that finds it stale throws a DataMcpError
   * with `detail.stale === true`; the caller opens again without this flag and starts over.
   * Connectors that cannot validate their reads ignore it.
   */
  optimistic?: boolean;
}

/** container: bucket / database / dataset; prefix: folder / schema; object: file; table: a table or view. */
export type EntryKind = 'container' | 'prefix' | 'object' | 'table';

export interface ListEntry {
  /** Last segment, for display. */
  name: string;
  /** Full connector-relative path (prefixes end with `/`). */
  path: string;
  kind: EntryKind;
  size?: number;
  modified?: string;
  etag?: string;
}

export interface ListPage {
  entries: ListEntry[];
  /** Opaque upstream continuation; the gate wraps it in an HMAC-bound cursor. */
  nextCursor?: string;
}

export interface ListOptions extends CallOptions {
  cursor?: string;
  limit: number;
  /** List everything below the prefix (no delimiter), used by glob expansion. */
  recursive?: boolean;
}

export interface ObjectStat {
  path: string;
  size: number;
  modified?: string;
  etag?: string;
  contentType?: string;
}

/** Random access to one object's bytes: Parquet footers and column chunks use this. */
export interface ByteSource {
  readonly path: string;
  readonly size: number;
  readonly etag?: string;
  /**
   * Names these exact bytes across calls (connector, path and a strong store version such as
   * an S3 ETag), when the store gives one: readers may reuse what they parsed of it before (a
   * Parquet footer). Absent when the store has no strong version (a local file's mtime is not).
   */
  readonly version?: string;
  /** Bytes [start, end) — end exclusive, like Array.slice. */
  read(start: number, end: number): Promise<Uint8Array>;
  /**
   * Honest byte accounting, for a source that fetches more than its callers read (S3 prefetches
   * the object's tail on open and serves later reads from it): the bytes really pulled from the
   * store since the last call, each reported once. Without it, callers count their reads.
   */
  takeFetchedBytes?(): number;
  /**
   * True when size and version came from the connector's memory of an earlier open, not from
   * the store (an optimistic open): only a read that reaches the store confirms them.
   */
  readonly fromMemory?: boolean;
}

export interface Connector {
  readonly name: string;
  readonly kind: string;
  readonly capabilities: ReadonlySet<Capability>;
  list(path: string, options: ListOptions): Promise<ListPage>;
  /** Object stores: size/etag of an object. Warehouses: refuse with INVALID_ARGUMENT (use describeTable). */
  stat(path: string, options: CallOptions): Promise<ObjectStat>;
  open(path: string, options: CallOptions): Promise<ByteSource>;
  /**
   * Folders with symbolic links (local): the root-relative path `path` really names once links
   * are followed, when that differs from `path` (for a path not yet there, its folder's). The
   * gate asks policy about it too, so a link cannot lend a granted path to a folder that is not.
   */
  linkTarget?(path: string): Promise<string | undefined>;
  /** Present when capabilities has `read_table`: a table's columns and size. */
  describeTable?(path: string, options: CallOptions): Promise<TableDescription>;
  /** Present when capabilities has `query`: runs SQL that already passed the SQL guard. */
  query?(request: QueryRequest, options: CallOptions): Promise<QueryResult>;
  /**
   * Present when capabilities has `write`: stores `data` at an object path, whole or not at
   * all (a failed write leaves no partial object). With `createOnly` an existing object is
   * never replaced: when its bytes equal `data` (a retried write) the result says
   * `alreadyExisted: true`; otherwise the write fails with INVALID_ARGUMENT whose detail
   * carries `reason: 'exists'` (see connectors/write-conflict.ts).
   */
  write?(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: WriteOptions): Promise<WriteResult>;
  /**
   * DynamoDB (item stores): writes items (attribute name → value: ParamValue, or nested lists
   * and plain objects) to a table; `write` above is object-store shaped (bytes). With
   * `createOnly` an item whose key exists is never replaced: the call stops there with
   * UPSTREAM_ERROR whose detail carries `precondition: 'item_exists'`; items before it stay
   * written (writes are not transactional; every failure says how many were written).
   */
  putItems?(table: string, items: Array<Record<string, unknown>>, options: CallOptions & { createOnly: boolean }): Promise<{ written: number; consumedCapacity?: number }>;
  /** Present when capabilities has `delete`: removes one object; NOT_FOUND when it is absent. */
  delete?(path: string, options: CallOptions): Promise<void>;
  close(): Promise<void>;
}

export interface WriteOptions extends CallOptions {
  /** Refuse to replace an existing object (GCS `ifGenerationMatch=0`, S3 `If-None-Match: *`). */
  createOnly: boolean;
  contentType?: string;
}

export interface WriteResult {
  path: string;
  size: number;
  etag?: string;
  /** Create-only write that found the identical bytes already stored: nothing was written. */
  alreadyExisted?: boolean;
}

/** SQL dialect a `query` connector speaks (the guard parses with the matching parser). */
export type SqlDialect = 'postgres' | 'redshift' | 'bigquery';

export type ParamValue = string | number | boolean | null;

/** DynamoDB's structured request (no SQL): built from typed tool input, never from strings of code. */
export interface DynamoRequest {
  operation: 'get' | 'query' | 'scan';
  table: string;
  index?: string;
  /** get: the full primary key. */
  key?: Record<string, ParamValue>;
  /** query: partition key equality and an optional sort-key condition. */
  partition?: { name: string; value: ParamValue };
  sort?: { name: string; op: 'eq' | 'lt' | 'lte' | 'gt' | 'gte' | 'between' | 'begins_with'; value: ParamValue; value2?: ParamValue };
  /** Post-read filter in the shared filter DSL (src/engine/filter-schema.ts). */
  filter?: unknown;
  projection?: string[];
  consistentRead?: boolean;
}

export interface QueryRequest {
  /** Agent SQL that passed the guard; never rewritten except placeholder mapping by the connector. Empty for DynamoDB. */
  sql: string;
  /** DynamoDB only: the structured request. */
  dynamo?: DynamoRequest;
  /** Named parameters: `:name` in Redshift SQL (Data API native), `@name` in BigQuery SQL. */
  params: Record<string, ParamValue>;
  /** PostgreSQL: the SQL uses `$1..$n` and these are the values in order. */
  positionalParams?: ParamValue[];
  /** Rows to fetch before returning; the rest stay upstream and are paged on demand via `more`. */
  maxRows: number;
  /** Validate and estimate only (BigQuery dry run, EXPLAIN elsewhere); no rows. */
  dryRun: boolean;
  /** BigQuery: the bytes ceiling for this job (already the minimum of config and agent). */
  maxBytesBilled?: number;
  /** True unless the policy granted `write`: engine-level read-only protection when true. */
  readOnly: boolean;
  /** Statement timeout (engine-level). */
  timeoutMs: number;
}

export interface QueryResult {
  /** The first rows (at most maxRows), as Arrow. */
  table: Table;
  /** False when more rows remain upstream. */
  complete: boolean;
  /** Further pages, fetched lazily (for result handles); each page is one upstream page. */
  more?: () => AsyncIterable<Table>;
  /** Total rows when the engine reports it. */
  totalRows?: number;
  /** Dry-run figures. */
  estimate?: {
    bytesProcessed?: number;
    estimatedCostUsd?: number;
    /** Planner's estimate of the rows the statement returns (EXPLAIN), when the engine gives one. */
    estimatedRows?: number;
    /** Planner's total cost in the engine's own units (PostgreSQL EXPLAIN), for comparing statements. */
    planCost?: number;
  };
  /** Upstream ids for audit correlation: statementId, jobId, ... */
  upstream: Record<string, string>;
  stats?: { bytesProcessed?: number; bytesBilled?: number; consumedCapacity?: number };
}

export interface TableDescription {
  path: string;
  columns: Array<{ name: string; type: string; nullable?: boolean }>;
  rowCount?: number;
  rowCountExact: boolean;
  /** DynamoDB: key schema; others: primary key columns when known. */
  keys?: Array<{ name: string; role: 'partition' | 'sort' | 'primary' }>;
  comment?: string;
}

/** What the registry knows about a configured connector without touching it. */
export interface ConnectorInfo {
  name: string;
  kind: string;
  env: string;
  description?: string;
  capabilities: Capability[];
}
