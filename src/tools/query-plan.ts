import type { Config } from '../config/schema.js';
import type { ConnectorInfo, DynamoRequest, SqlDialect } from '../connectors/types.js';
import { canonicalizePath } from '../policy/paths.js';
import type { AuthzRequest } from '../policy/types.js';
import { DataMcpError, invalidArgument } from '../results/errors.js';
import { guardSql, type GuardedSql, type SqlStatementKind, type SqlTableRef } from '../sql/index.js';

const DIALECTS: Record<string, SqlDialect> = { postgres: 'postgres', redshift: 'redshift', bigquery: 'bigquery' };

/** What `query`'s authorize step hands its handler: the guarded statement and its tables. */
export interface QueryPlan {
  dialect: SqlDialect;
  guarded: GuardedSql;
  /** Table Locations (`schema/table`, BigQuery `dataset/table`) the statement touches. */
  paths: string[];
}

/**
 * DynamoDB takes no SQL: a structured get/query needs `query` on the table; a scan reads the
 * whole table, so it also needs `read` there (and the connector's scan switch).
 */
export function planDynamo(info: ConnectorInfo, request: DynamoRequest): { requests: AuthzRequest[]; plan: { paths: string[] } } {
  if (info.kind !== 'dynamodb') throw invalidArgument(`connector ${info.name} (${info.kind}) does not take a dynamodb request`, 'Send sql to a warehouse connector; use dynamodb only with a dynamodb connector.');
  const path = canonicalizePath(request.table);
  if (path.includes('/')) throw invalidArgument(`"${request.table}" is not a table name`, 'Give the DynamoDB table name alone.');
  const resource = { type: 'Location' as const, connector: info.name, path };
  const requests: AuthzRequest[] = [{ action: 'query', resource }];
  if (request.operation === 'scan') requests.push({ action: 'read', resource });
  return { requests, plan: { paths: [path] } };
}

/**
 * Statements that change or remove rows that already exist: the destructive tier, as for
 * replace_data and delete_data (INSERT, SELECT INTO and CREATE TABLE AS only add).
 */
const DESTRUCTIVE_KINDS: ReadonlySet<SqlStatementKind> = new Set(['update', 'delete', 'merge']);

/**
 * Guards the SQL with the dialect's real parser, then turns every table it references into a
 * Location request: `query` to read it, plus `write` where the statement writes. Writes are
 * possible only when the server is not read-only, and then only if the policy grants `write`;
 * UPDATE, DELETE and MERGE also need `server.allow_destructive` and `delete` on the table.
 */
export async function planQuery(config: Config, info: ConnectorInfo, sql: string): Promise<{ requests: AuthzRequest[]; plan: QueryPlan }> {
  const dialect = DIALECTS[info.kind];
  if (!dialect) {
    throw invalidArgument(`connector ${info.name} (${info.kind}) does not take SQL`, 'Use query on a postgres, redshift or bigquery connector; read objects with read_data.');
  }
  const connectorConfig = config.connectors[info.name];
  const defaultSchema = connectorConfig && 'schemas' in connectorConfig ? (connectorConfig.schemas?.[0] ?? 'public') : dialect === 'bigquery' ? undefined : 'public';
  const guarded = await guardMemoized(sql, dialect, !config.server.read_only, defaultSchema);
  const destructive = DESTRUCTIVE_KINDS.has(guarded.statementKind);
  if (destructive && !config.server.allow_destructive) {
    throw new DataMcpError('POLICY_DENIED', `this server does not allow ${guarded.statementKind.toUpperCase()} (it changes or removes existing rows)`, 'The operator has not enabled the destructive tier (server.allow_destructive); INSERT and SELECT still work.');
  }
  const paths: string[] = [];
  const requests: AuthzRequest[] = [];
  for (const table of guarded.tables) {
    const path = tablePath(config, info, dialect, table);
    const resource = { type: 'Location' as const, connector: info.name, path };
    paths.push(path);
    requests.push({ action: 'query', resource });
    if (table.access === 'write') requests.push({ action: 'write', resource });
    if (table.access === 'write' && destructive) requests.push({ action: 'delete', resource });
  }
  if (requests.length === 0) requests.push({ action: 'query', resource: { type: 'Connector', connector: info.name } });
  return { requests, plan: { dialect, guarded, paths } };
}

/**
 * The guard is a pure function of its inputs, and parsing costs more than the rest of a cached
 * call; repeated SQL (the common case for an agent retrying or paging) is parsed once. Only
 * accepted statements are remembered; a refusal is recomputed (and re-explained) every time.
 */
const guarded = new Map<string, GuardedSql>();
const GUARD_MEMO_MAX = 256;

async function guardMemoized(sql: string, dialect: SqlDialect, allowWrite: boolean, defaultSchema: string | undefined): Promise<GuardedSql> {
  const key = JSON.stringify([dialect, allowWrite, defaultSchema ?? null, sql]);
  const known = guarded.get(key);
  if (known) return known;
  const result = await guardSql(sql, dialect, { allowWrite, ...(defaultSchema ? { defaultSchema } : {}) });
  // Shared across calls from here on: frozen so no caller can change another's plan.
  result.tables.forEach((t) => Object.freeze(t));
  Object.freeze(result.tables);
  Object.freeze(result.params);
  Object.freeze(result);
  if (guarded.size >= GUARD_MEMO_MAX) guarded.delete(guarded.keys().next().value as string);
  guarded.set(key, result);
  return result;
}

function tablePath(config: Config, info: ConnectorInfo, dialect: SqlDialect, table: SqlTableRef): string {
  const connector = config.connectors[info.name];
  if (dialect === 'bigquery') {
    const project = connector?.kind === 'bigquery' ? connector.project_id : undefined;
    if (table.database && table.database !== project) {
      throw new DataMcpError('POLICY_DENIED', `table ${table.database}.${table.schema ?? ''}.${table.name} is in another project`, `This connector queries project ${project}; reference tables as dataset.table.`);
    }
    if (!table.schema) throw invalidArgument(`table ${table.name} has no dataset`, 'Qualify BigQuery tables as dataset.table.');
  }
  const schema = table.schema ?? 'public';
  const allowlist = connector && 'schemas' in connector ? connector.schemas : connector && 'datasets' in connector ? connector.datasets : undefined;
  if (allowlist && !allowlist.includes(schema)) {
    throw new DataMcpError('POLICY_DENIED', `${schema} is not exposed by connector ${info.name}`, `Query tables in: ${allowlist.join(', ')}.`);
  }
  // Quoted identifiers may hold any character; a "/" would forge another Location.
  if (schema.includes('/') || table.name.includes('/')) throw invalidArgument(`table name ${schema}.${table.name} cannot be authorized`, 'Use tables whose names contain no "/".');
  return canonicalizePath(`${schema}/${table.name}`);
}
