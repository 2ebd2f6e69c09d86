import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { describeTable, DoubleError, listDatabases, listSchemas, listTables, type CatalogInput } from './redshift-double-catalog.js';
import { rewriteNamedParams } from './redshift-named-params.js';
import { redshiftTypeName, toField, typmodFacts, type DataApiRecordField } from './redshift-double-values.js';

/**
 * A Redshift Data API test double (awsJson1_1: `POST /`, `X-Amz-Target: RedshiftData.<Op>`)
 * backed by the machine's real PostgreSQL. Statements run asynchronously on their own
 * connection (SUBMITTED → PICKED → STARTED → FINISHED | FAILED | ABORTED); CancelStatement
 * cancels the PostgreSQL backend. SigV4 signatures are accepted unchecked.
 */
export interface RedshiftDoubleOptions {
  /** Rows per GetStatementResult page (the real service pages by size, ~100 MB). */
  pageSize?: number;
  /** How long a statement waits in SUBMITTED/PICKED before it starts (to test cancel). */
  startDelayMs?: number;
  pg?: { host?: string; port?: number; user?: string; database?: string };
}

export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export interface DoubleStatement {
  id: string;
  sql: string;
  database: string;
  status: StatementStatus;
  error?: string;
  pid?: number;
  cancelRequested: boolean;
  /** Set when pg_cancel_backend reported the backend signalled. */
  backendCancelled: boolean;
  createdAt: number;
  updatedAt: number;
  columns?: Array<{ name: string; label: string; typeName: string; precision?: number; scale?: number; length?: number }>;
  records?: DataApiRecordField[][];
  hasResultSet: boolean;
  resultRows: number;
  /** Settles when the statement reaches a final status. */
  done: Promise<void>;
}

export interface RedshiftDataDouble {
  endpoint: string;
  /** Every call: operation name and parsed input. */
  calls: Array<{ op: string; input: Record<string, unknown> }>;
  /** Authorization headers seen (signatures are never checked, only recorded). */
  authorizations: string[];
  statements: Map<string, DoubleStatement>;
  options: Required<Pick<RedshiftDoubleOptions, 'pageSize' | 'startDelayMs'>>;
  /** The next `times` calls of `op` fail with this error type (retried errors need times > 1). */
  failNext(op: string, type: string, message: string, status?: number, times?: number): void;
  close(): Promise<void>;
}

const FINAL = new Set<StatementStatus>(['FINISHED', 'FAILED', 'ABORTED']);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startRedshiftDataDouble(options: RedshiftDoubleOptions = {}): Promise<RedshiftDataDouble> {
  const conn = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', ...options.pg };
  const admin = new pg.Pool({ ...conn, max: 4 });
  const statements = new Map<string, DoubleStatement>();
  const faults = new Map<string, { type: string; message: string; status: number; times: number }>();
  const state = { pageSize: options.pageSize ?? 1000, startDelayMs: options.startDelayMs ?? 0 };
  const calls: RedshiftDataDouble['calls'] = [];
  const authorizations: string[] = [];

  const catalogClient = async <T>(database: string, run: (db: pg.ClientBase) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ ...conn, database });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };

  const ops: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    ExecuteStatement: async (input) => {
      const statement = execute(input, conn, state.startDelayMs, admin);
      statements.set(statement.id, statement);
      return { Id: statement.id, CreatedAt: statement.createdAt / 1000, Database: statement.database, ...target(input) };
    },
    DescribeStatement: async (input) => {
      const s = find(statements, input.Id);
      return {
        Id: s.id,
        Status: s.status,
        QueryString: s.sql,
        Database: s.database,
        CreatedAt: s.createdAt / 1000,
        UpdatedAt: s.updatedAt / 1000,
        HasResultSet: s.hasResultSet,
        ResultRows: s.status === 'FINISHED' ? s.resultRows : -1,
        ...(s.pid !== undefined ? { RedshiftPid: s.pid } : {}),
        ...(s.error !== undefined ? { Error: s.error } : {}),
        Duration: (s.updatedAt - s.createdAt) * 1e6,
      };
    },
    GetStatementResult: async (input) => {
      const s = find(statements, input.Id);
      if (s.status !== 'FINISHED' || !s.hasResultSet || !s.records || !s.columns) {
        throw new DoubleError('ResourceNotFoundException', 'Query does not have result. Please check query status with DescribeStatement.');
      }
      let offset = 0;
      if (typeof input.NextToken === 'string') {
        const parsed = /^([\w-]+):(\d+)$/.exec(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
        if (!parsed || parsed[1] !== s.id) throw new DoubleError('ValidationException', 'Invalid NextToken');
        offset = Number(parsed[2]);
      }
      const end = Math.min(offset + state.pageSize, s.records.length);
      return {
        Records: s.records.slice(offset, end),
        // Only the first page carries the column metadata: clients must keep it.
        ...(offset === 0 ? { ColumnMetadata: s.columns } : {}),
        TotalNumRows: s.records.length,
        ...(end < s.records.length ? { NextToken: Buffer.from(`${s.id}:${end}`).toString('base64url') } : {}),
      };
    },
    CancelStatement: async (input) => {
      const s = find(statements, input.Id);
      if (FINAL.has(s.status)) throw new DoubleError('ValidationException', `Could not cancel a query that is already in ${s.status} state.`);
      s.cancelRequested = true;
      if (s.pid !== undefined && s.status === 'STARTED') {
        const { rows } = await admin.query<{ ok: boolean }>('SELECT pg_cancel_backend($1) AS ok', [s.pid]);
        s.backendCancelled = rows[0]?.ok === true;
      }
      return { Status: true };
    },
    ListDatabases: (input) => catalogClient(database(input), (db) => listDatabases(db, input as CatalogInput)),
    ListSchemas: (input) => catalogClient(database(input), (db) => listSchemas(db, input as CatalogInput)),
    ListTables: (input) => catalogClient(database(input), (db) => listTables(db, input as CatalogInput)),
    DescribeTable: (input) => catalogClient(database(input), (db) => describeTable(db, input as CatalogInput)),
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      const targetHeader = req.headers['x-amz-target'];
      const op = typeof targetHeader === 'string' && targetHeader.startsWith('RedshiftData.') ? targetHeader.slice('RedshiftData.'.length) : undefined;
      if (req.method !== 'POST' || !op) throw new DoubleError('UnknownOperationException', 'missing or foreign X-Amz-Target');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) throw new DoubleError('SerializationException', 'expected application/x-amz-json-1.1');
      if (typeof req.headers.authorization === 'string') authorizations.push(req.headers.authorization);
      const input = (body.length > 0 ? JSON.parse(body) : {}) as Record<string, unknown>;
      calls.push({ op, input });
      const fault = faults.get(op);
      if (fault) {
        if (--fault.times <= 0) faults.delete(op);
        return send(res, fault.status, { __type: fault.type, message: fault.message });
      }
      const run = ops[op];
      if (!run) throw new DoubleError('UnknownOperationException', `operation ${op} is not implemented by the test double`);
      send(res, 200, await run(input));
    } catch (error) {
      const e = error instanceof DoubleError ? error : new DoubleError('InternalServerException', error instanceof Error ? error.message : String(error));
      send(res, e.type === 'InternalServerException' ? 500 : 400, { __type: e.type, message: e.message });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    authorizations,
    statements,
    options: state,
    failNext: (op, type, message, status = 400, times = 1) => faults.set(op, { type, message, status, times }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      for (const s of statements.values()) {
        if (FINAL.has(s.status)) continue;
        s.cancelRequested = true;
        if (s.pid !== undefined) await admin.query('SELECT pg_cancel_backend($1)', [s.pid]);
      }
      await Promise.allSettled([...statements.values()].map((s) => s.done));
      await admin.end();
    },
  };
}

function target(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['WorkgroupName', 'ClusterIdentifier', 'DbUser', 'SecretArn']) if (typeof input[k] === 'string') out[k] = input[k];
  return out;
}

function database(input: Record<string, unknown>): string {
  if (typeof input.Database !== 'string' || input.Database === '') throw new DoubleError('ValidationException', 'Database is required');
  if (typeof input.WorkgroupName !== 'string' && typeof input.ClusterIdentifier !== 'string') {
    throw new DoubleError('ValidationException', 'Either ClusterIdentifier or WorkgroupName must be specified');
  }
  if (typeof input.ClusterIdentifier === 'string' && typeof input.DbUser !== 'string' && typeof input.SecretArn !== 'string') {
    throw new DoubleError('ValidationException', 'DbUser or SecretArn is required with ClusterIdentifier');
  }
  return input.Database;
}

function find(statements: Map<string, DoubleStatement>, id: unknown): DoubleStatement {
  const s = typeof id === 'string' ? statements.get(id) : undefined;
  if (!s) throw new DoubleError('ResourceNotFoundException', 'Query does not exist.');
  return s;
}

/** Validates the call, then runs the statement in the background. */
function execute(input: Record<string, unknown>, conn: { host: string; port: number; user: string }, startDelayMs: number, admin: pg.Pool): DoubleStatement {
  const db = database(input);
  if (typeof input.Sql !== 'string' || input.Sql.trim() === '') throw new DoubleError('ValidationException', 'Sql is required');
  const given = new Map<string, string>();
  for (const p of Array.isArray(input.Parameters) ? (input.Parameters as Array<{ name?: unknown; value?: unknown }>) : []) {
    if (typeof p.name !== 'string' || !/^[0-9A-Za-z_]+$/.test(p.name)) throw new DoubleError('ValidationException', 'Invalid parameter name');
    if (typeof p.value !== 'string' || p.value === '') throw new DoubleError('ValidationException', `Parameter ${p.name} must have a non-empty value`);
    given.set(p.name, p.value);
  }
  const { text, names } = rewriteNamedParams(input.Sql);
  const values = names.map((name) => {
    const v = given.get(name);
    if (v === undefined) throw new DoubleError('ValidationException', `Parameter "${name}" is used in the SQL but has no value`);
    return v;
  });
  const now = Date.now();
  const s: DoubleStatement = {
    id: randomUUID(),
    sql: input.Sql,
    database: db,
    status: 'SUBMITTED',
    cancelRequested: false,
    backendCancelled: false,
    createdAt: now,
    updatedAt: now,
    hasResultSet: false,
    resultRows: 0,
    done: Promise.resolve(),
  };
  s.done = runInBackground(s, text, values, { ...conn, database: db }, startDelayMs, admin);
  return s;
}

async function runInBackground(s: DoubleStatement, text: string, values: string[], conn: pg.ClientConfig, startDelayMs: number, admin: pg.Pool): Promise<void> {
  const set = (status: StatementStatus, error?: string) => {
    s.status = status;
    s.updatedAt = Date.now();
    if (error !== undefined) s.error = error;
  };
  // Queued time, in small steps so a CancelStatement ends the wait at once.
  const queued = async (ms: number) => {
    for (const until = Date.now() + ms; Date.now() < until && !s.cancelRequested; ) await sleep(Math.min(10, until - Date.now()));
  };
  await queued(Math.floor(startDelayMs / 2));
  if (s.cancelRequested) return set('ABORTED');
  set('PICKED');
  await queued(Math.ceil(startDelayMs / 2));
  if (s.cancelRequested) return set('ABORTED');
  // Every value as text: the double decides the Data API shape from the type name.
  const client = new pg.Client({ ...conn, options: '-c TimeZone=UTC -c DateStyle=ISO,YMD -c extra_float_digits=1', types: { getTypeParser: () => (v: string) => v } });
  try {
    await client.connect();
    s.pid = (client as unknown as { processID: number }).processID;
    set('STARTED');
    if (s.cancelRequested) return set('ABORTED');
    const result = await client.query<string[]>({ text, values, rowMode: 'array' });
    if (result.fields.length > 0) {
      const oids = [...new Set(result.fields.map((f) => f.dataTypeID))];
      const types = await admin.query<{ oid: number; typname: string }>('SELECT oid::int AS oid, typname FROM pg_type WHERE oid = ANY($1::oid[])', [oids]);
      const nameOf = new Map(types.rows.map((r) => [Number(r.oid), r.typname]));
      const pgTypes = result.fields.map((f) => nameOf.get(f.dataTypeID) ?? 'text');
      s.columns = result.fields.map((f, i) => ({ name: f.name, label: f.name, typeName: redshiftTypeName(pgTypes[i]!), ...typmodFacts(pgTypes[i]!, f.dataTypeModifier) }));
      s.records = result.rows.map((row) => row.map((cell, i) => toField(pgTypes[i]!, cell)));
      s.hasResultSet = true;
      s.resultRows = result.rows.length;
    } else {
      s.resultRows = result.rowCount ?? 0;
    }
    set('FINISHED');
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (s.cancelRequested && e.code === '57014') set('ABORTED');
    else set('FAILED', `ERROR: ${e.message ?? String(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  res.end(text);
}
