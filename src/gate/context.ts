import type { Table } from 'apache-arrow';
import type { LockedComputeResult } from '../cache/locked-compute.js';
import type { Config } from '../config/schema.js';
import type { PrincipalSessions } from '../sessions/store.js';
import type { ByteSource, CallOptions, ConnectorInfo, ListPage, ObjectStat, QueryRequest, QueryResult, TableDescription, WriteResult } from '../connectors/types.js';
import type { Principal } from '../identity/principal.js';
import type { Action, AuthzRequest, Decision } from '../policy/types.js';
import type { OpaqueTokens } from '../results/handles.js';

/**
 * What a handler may touch. There is no other way to a connector: `connector(name)` hands out
 * a view whose every method checks that this call holds an allow decision covering the path.
 */
export interface ToolContext {
  readonly principal: Principal;
  readonly tool: string;
  readonly config: Config;
  readonly signal: AbortSignal;
  readonly embedded: boolean;
  /** What the tool's `authorize` prepared for its handler (e.g. guarded SQL), if anything. */
  readonly plan: unknown;
  /** Authorize more requests mid-call (e.g. each object a glob matched); throws POLICY_DENIED. */
  authorize(requests: AuthzRequest[]): void;
  /** Every request granted to this call so far. */
  grants(): AuthzRequest[];
  /** Evaluate without granting (for whoami / list_connectors filtering); recorded in the audit. */
  check(request: AuthzRequest): Decision;
  connector(name: string): GatedConnector;
  connectorInfos(): ConnectorInfo[];
  /** HMAC-bound cursors for paging, tied to this principal and policy version. */
  readonly tokens: OpaqueTokens;
  readonly binding: { principalScope: string; policyVersion: string };
  progress(progress: number, total: number | undefined, message: string): Promise<void>;
  /** The shared cache for work a tool keys itself (a probe keys by source versions and steps). */
  readonly cache: ToolCache;
  /** This principal's sessions (scratch values and datasets with a TTL). */
  readonly sessions: PrincipalSessions;
  /**
   * The table behind a `result://` handle returned earlier to this principal; the grants that
   * produced it are re-checked for this call (and then cover it, like any mid-call grant).
   */
  storedResult(handle: string): Promise<Table>;
}

export interface ToolCache {
  /**
   * get → miss → compute once across callers and processes → set. The key binds the tool,
   * `request`, this call's principal scope and policy version, so principals never share.
   */
  compute(request: unknown, ttlSeconds: number, compute: () => Promise<Uint8Array>, shouldStore?: (value: Uint8Array) => boolean): Promise<LockedComputeResult>;
}

export interface GatedConnector {
  readonly info: ConnectorInfo;
  list(path: string, options: { cursor?: string; limit: number; recursive?: boolean }): Promise<ListPage>;
  stat(path: string): Promise<ObjectStat>;
  /**
   * `optimistic`: the connector may skip the request that learns size and version when it saw
   * this object before; every read is still pinned to that version, and a stale one fails with
   * `detail.stale` so the caller re-opens (only data/read-objects.ts opts in).
   */
  open(path: string, hint?: { optimistic?: boolean }): Promise<ByteSource>;
  describeTable(path: string): Promise<TableDescription>;
  /**
   * Runs guarded SQL. The caller must already hold `query` (and `write` when not read-only)
   * on every table the guard found; `tables` names them so the view can check coverage.
   */
  query(request: QueryRequest, tables: string[]): Promise<QueryResult>;
  /**
   * Stores bytes at an object path; needs `write` on it (`deliver` when `as: 'deliver'`: a
   * probe's result sent to a destination). Without `createOnly` it may replace
   * an existing object, which destroys it, so the call must also hold `delete` on the path.
   */
  write(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options: { createOnly: boolean; contentType?: string; as?: 'write' | 'deliver' }): Promise<WriteResult>;
  /** Removes one object; needs `delete` on it. */
  delete(path: string): Promise<void>;
  /** Item stores (DynamoDB): writes items to a table; `write` on it, and `delete` unless create-only. */
  putItems(table: string, items: Array<Record<string, unknown>>, options: { createOnly: boolean }): Promise<{ written: number; consumedCapacity?: number }>;
  /** The call options (signal, credentials) this view runs under, for streaming helpers. */
  readonly options: CallOptions;
}

/** The actions each connector method needs on the path it touches. */
export const METHOD_ACTIONS: Record<'list' | 'stat' | 'open' | 'describeTable' | 'query' | 'write' | 'deliver' | 'delete', Action[]> = {
  list: ['list'],
  stat: ['list', 'read'],
  open: ['read'],
  describeTable: ['read', 'query'],
  query: ['query'],
  write: ['write'],
  deliver: ['deliver'],
  delete: ['delete'],
};
