import type { SqlDialect, SqlStatementKind, SqlTableRef } from './types.js';
import { walkTree } from './tree-walk.js';
import { TableSet } from './table-set.js';
import { deniedFunction } from './denied-functions.js';
import { sqlRefusal } from './refusal.js';

export interface StatementAnalysis {
  statementKind: SqlStatementKind;
  readOnly: boolean;
  tables: SqlTableRef[];
}

const DML = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);
const TOP_KIND: Record<string, SqlStatementKind> = {
  SelectStmt: 'select', InsertStmt: 'insert', UpdateStmt: 'update', DeleteStmt: 'delete', MergeStmt: 'merge',
};
/** Redshift keeps its system tables and views in pg_catalog under these prefixes (unqualified). */
const REDSHIFT_CATALOG_PREFIXES = ['pg_', 'stl_', 'stv_', 'svl_', 'svv_', 'svcs_', 'stcs_', 'sys_'];

interface Ctx { scope: ReadonlySet<string>; write: boolean }

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `[{String:{sval:'pg_catalog'}}, {String:{sval:'now'}}]` → 'now'. */
function lastNamePart(names: unknown): string {
  const list = Array.isArray(names) ? (names as Array<{ String?: { sval?: string } }>) : [];
  return list.at(-1)?.String?.sval ?? '';
}

function topStatement(stmt: Record<string, unknown>): { type: string; body: Record<string, unknown> } {
  const [type, body] = Object.entries(stmt)[0] ?? ['', {}];
  return { type, body: body as Record<string, unknown> };
}

/** Classifies one PostgreSQL/Redshift statement and walks its whole tree. */
export function analyzePgStatement(
  stmt: Record<string, unknown>,
  dialect: SqlDialect,
  defaultSchema: string | undefined,
): StatementAnalysis {
  let { type, body } = topStatement(stmt);
  let explain = false;
  if (type === 'ExplainStmt') {
    // EXPLAIN ANALYZE executes its statement, so an EXPLAIN is judged by what it explains.
    explain = true;
    ({ type, body } = topStatement((body.query ?? {}) as Record<string, unknown>));
  }
  let kind: SqlStatementKind | undefined = TOP_KIND[type];
  if (type === 'CreateTableAsStmt' && body.objtype === 'OBJECT_TABLE') kind = 'create_table_as';
  if (kind === undefined) {
    throw sqlRefusal('sql_forbidden_statement', `Statement type ${type || 'unknown'} is not allowed.`, { statement: type });
  }
  if (type === 'SelectStmt' && body.intoClause !== undefined) kind = 'select_into';

  const tables = new TableSet();
  const cteScopes = new WeakMap<object, ReadonlySet<string>>();
  let writes = kind !== 'select';
  let locks = false;

  walkTree<Ctx>(stmt, { scope: new Set(), write: false }, ({ key, node, depth, context }) => {
    // Node types are capitalised (`DeleteStmt`); fields are not (`selectStmt` under INSERT).
    if (/^[A-Z]\w*Stmt$/.test(key) && key !== 'ExplainStmt' && depth > 1) {
      if (DML.has(key)) writes = true; // data-modifying CTE
      else if (key !== 'SelectStmt') throw sqlRefusal('sql_forbidden_statement', `Nested ${key} is not allowed.`, { statement: key });
    }
    if (key === 'FuncCall') {
      const name = lastNamePart(node.funcname);
      if (deniedFunction('postgres', name)) {
        throw sqlRefusal('sql_forbidden_function', `Function ${name} is not allowed.`, { function: name });
      }
    }
    if (Array.isArray(node.lockingClause) && node.lockingClause.length > 0) locks = true;
    const relname = str(node.relname);
    if (relname !== undefined) recordTable(node, relname, context);

    const inherited = cteScopes.get(node) ?? context.scope;
    const withClause = node.withClause as { ctes?: unknown[]; recursive?: boolean } | undefined;
    let fullScope = inherited;
    if (withClause !== undefined) fullScope = bindCtes(withClause, inherited, cteScopes);
    const dmlTarget = DML.has(key);
    const intoTarget = key === 'intoClause' || key === 'into';
    return (childKey) => ({
      scope: childKey === 'withClause' ? inherited : fullScope,
      write: context.write || (dmlTarget && childKey === 'relation') || (intoTarget && childKey === 'rel'),
    });
  });

  function recordTable(node: Record<string, unknown>, name: string, context: Ctx): void {
    let schema = str(node.schemaname);
    const database = str(node.catalogname);
    // A data-modifying target is never a CTE; an unqualified read may be.
    if (!context.write && schema === undefined && database === undefined && context.scope.has(name)) return;
    if (schema === undefined) {
      // PostgreSQL searches pg_catalog before the search path, so `pg_*` names resolve there.
      const prefixes = dialect === 'redshift' ? REDSHIFT_CATALOG_PREFIXES : ['pg_'];
      schema = prefixes.some((p) => name.toLowerCase().startsWith(p)) ? 'pg_catalog' : defaultSchema;
    }
    const ref: SqlTableRef = { name, access: context.write ? 'write' : 'read' };
    if (schema !== undefined) ref.schema = schema;
    if (database !== undefined) ref.database = database;
    tables.add(ref);
  }

  if (locks) {
    writes = true; // FOR UPDATE/SHARE takes row locks: a write privilege, refused when reading only
    tables.markAllWritten();
  }
  return { statementKind: explain ? 'explain' : kind, readOnly: !writes, tables: tables.list() };
}

/**
 * Registers the scope each CTE body sees (earlier siblings; all siblings when RECURSIVE) and returns
 * the scope of the statement body (all of them).
 */
function bindCtes(
  withClause: { ctes?: unknown[]; recursive?: boolean },
  outer: ReadonlySet<string>,
  cteScopes: WeakMap<object, ReadonlySet<string>>,
): ReadonlySet<string> {
  const ctes = (withClause.ctes ?? []).map((c) => (c as { CommonTableExpr?: Record<string, unknown> }).CommonTableExpr ?? {});
  const names = ctes.map((c) => str(c.ctename) ?? '');
  const all = new Set([...outer, ...names]);
  ctes.forEach((cte, index) => {
    cteScopes.set(cte, withClause.recursive === true ? all : new Set([...outer, ...names.slice(0, index)]));
  });
  return all;
}
