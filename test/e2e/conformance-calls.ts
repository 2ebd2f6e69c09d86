/**
 * One call per tool that must succeed on the conformance server, in an order where later calls
 * can use what earlier ones returned (a session id), and one call per tool that must fail with
 * a stable code. Together they exercise every tool's success and error shapes.
 */
export interface CallState {
  schema: string;
  session?: string;
}

export interface PlannedCall {
  tool: string;
  args: (state: CallState) => Record<string, unknown>;
  /** Keeps what later calls need from the structuredContent of this one. */
  keep?: (structured: Record<string, unknown>, state: CallState) => void;
}

export const VALID_CALLS: PlannedCall[] = [
  { tool: 'whoami', args: () => ({}) },
  { tool: 'list_connectors', args: () => ({}) },
  { tool: 'browse', args: () => ({ connector: 'demo', path: '', limit: 2 }) },
  { tool: 'browse', args: (s) => ({ connector: 'pg', path: `${s.schema}/` }) },
  { tool: 'describe', args: () => ({ connector: 'demo', path: 'orders.parquet' }) },
  { tool: 'describe', args: (s) => ({ connector: 'pg', path: `${s.schema}/items` }) },
  // Over the budget: a truncated result with a handle.
  { tool: 'read_data', args: () => ({ connector: 'demo', path: 'orders.parquet', limit: 200 }) },
  { tool: 'read_data', args: () => ({ connector: 'demo', path: 'events/*.jsonl', limit: 5 }) },
  { tool: 'summarize', args: () => ({ connector: 'demo', path: 'customers.csv' }) },
  { tool: 'query', args: (s) => ({ connector: 'pg', sql: `SELECT id, name FROM "${s.schema}".items WHERE id <= :n ORDER BY id`, params: { n: 80 } }) },
  { tool: 'query', args: (s) => ({ connector: 'pg', sql: `SELECT count(*) AS n FROM "${s.schema}".items`, dry_run: true }) },
  // Why query is annotated destructive on a writable server: it really can remove rows.
  { tool: 'query', args: (s) => ({ connector: 'pg', sql: `DELETE FROM "${s.schema}".items WHERE id > 100` }) },
  { tool: 'write_data', args: () => ({ connector: 'scratch', path: 'out/a.csv', rows: [{ id: 1, name: 'a' }] }) },
  { tool: 'replace_data', args: () => ({ connector: 'scratch', path: 'out/a.csv', rows: [{ id: 2, name: 'b' }] }) },
  { tool: 'delete_data', args: () => ({ connector: 'scratch', path: 'out/a.csv' }) },
  {
    tool: 'run_probe',
    args: () => ({
      sources: { orders: { connector: 'demo', path: 'orders.csv' } },
      steps: [{ op: 'aggregate', by: ['status'], metrics: [{ fn: 'count', as: 'n' }] }, { op: 'sort', by: [{ column: 'n', order: 'desc' }] }],
      destination: { connector: 'scratch', path: 'out/probe.csv' },
    }),
  },
  { tool: 'session_create', args: () => ({ label: 'conformance' }), keep: (out, s) => (s.session = (out.session as { id: string }).id) },
  { tool: 'session_put', args: (s) => ({ session: s.session, key: 'note', value: { rows: 3, ok: true } }) },
  { tool: 'session_get', args: (s) => ({ session: s.session, key: 'note' }) },
  { tool: 'run_probe', args: (s) => ({ sources: { c: { connector: 'demo', path: 'customers.csv', limit: 10 } }, save_as: { session: s.session, dataset: 'few' } }) },
  { tool: 'session_get', args: (s) => ({ session: s.session, dataset: 'few' }) },
  { tool: 'session_list', args: () => ({}) },
  { tool: 'session_close', args: (s) => ({ session: s.session, archive: { connector: 'scratch', prefix: 'archive/', format: 'csv' } }) },
];

export interface FailingCall {
  tool: string;
  args: Record<string, unknown>;
  code: string;
}

const NO_SESSION = 's_AAAAAAAAAAAAAAAAAAAAAA';

export const FAILING_CALLS: FailingCall[] = [
  { tool: 'whoami', args: { unexpected: 1 }, code: 'INVALID_ARGUMENT' },
  { tool: 'list_connectors', args: { unexpected: 1 }, code: 'INVALID_ARGUMENT' },
  { tool: 'browse', args: { connector: 'nowhere' }, code: 'NOT_FOUND' },
  { tool: 'describe', args: { connector: 'demo', path: 'missing.csv' }, code: 'NOT_FOUND' },
  { tool: 'read_data', args: { connector: 'demo', path: '../../etc/passwd' }, code: 'INVALID_ARGUMENT' },
  { tool: 'summarize', args: { connector: 'demo' }, code: 'INVALID_ARGUMENT' },
  { tool: 'query', args: { connector: 'pg', sql: 'SELECT pg_sleep(1)' }, code: 'INVALID_ARGUMENT' },
  { tool: 'write_data', args: { connector: 'demo', path: 'new.csv', rows: [{ a: 1 }] }, code: 'POLICY_DENIED' },
  { tool: 'replace_data', args: { connector: 'scratch', path: 'out/*.csv', rows: [{ a: 1 }] }, code: 'INVALID_ARGUMENT' },
  { tool: 'delete_data', args: { connector: 'scratch', path: 'out/never-written.csv' }, code: 'NOT_FOUND' },
  { tool: 'run_probe', args: { sources: { o: { connector: 'demo', path: 'orders.csv' } }, steps: [{ op: 'teleport' }] }, code: 'INVALID_ARGUMENT' },
  { tool: 'session_create', args: { ttl_seconds: 10 }, code: 'INVALID_ARGUMENT' },
  { tool: 'session_put', args: { session: NO_SESSION, key: 'k', value: 1 }, code: 'NOT_FOUND' },
  { tool: 'session_get', args: { session: NO_SESSION, key: 'k' }, code: 'NOT_FOUND' },
  { tool: 'session_list', args: { all: true }, code: 'INVALID_ARGUMENT' },
  { tool: 'session_close', args: { session: NO_SESSION }, code: 'NOT_FOUND' },
];
