import type { SqlStatementKind, SqlTableRef } from './types.js';
import type { StatementAnalysis } from './pg-analyze.js';
import { walkTree } from './tree-walk.js';
import { TableSet } from './table-set.js';
import { deniedFunction } from './denied-functions.js';
import { sqlRefusal } from './refusal.js';

const DML = new Set(['Insert', 'Update', 'Delete', 'Merge']);
const TOP_KIND: Record<string, SqlStatementKind> = {
  Query: 'select', Insert: 'insert', Update: 'update', Delete: 'delete', Merge: 'merge',
};
/** FROM items whose meaning the guard fully understands; anything else (table functions…) is refused. */
const KNOWN_FROM_ITEMS = new Set(['Table', 'Derived', 'UNNEST', 'NestedJoin', 'Pivot', 'Unpivot']);
/** Which child of a write statement names its target. */
const WRITE_TARGET_KEYS: Record<string, readonly string[]> = {
  Update: ['table'], Delete: ['from', 'tables'], Merge: ['table'],
};

interface Ctx { scope: ReadonlySet<string>; write: boolean }
interface Span { start?: { line?: number; column?: number } }
type Ident = { value?: unknown; quote_style?: unknown; span?: Span };

export interface BigQueryAnalysis extends StatementAnalysis {
  params: string[];
}

/** `[{Identifier:{value:'proj.ds'}}, {Identifier:{value:'t'}}]` → ['proj','ds','t']. */
function nameParts(name: unknown): string[] {
  const parts = (Array.isArray(name) ? name : []) as Array<{ Identifier?: Ident }>;
  return parts.flatMap((part) => String(part.Identifier?.value ?? '').split('.'));
}

/** Classifies one BigQuery statement and walks its whole tree. */
export function analyzeBigQueryStatement(stmt: Record<string, unknown>, defaultSchema: string | undefined): BigQueryAnalysis {
  const [type, body] = Object.entries(stmt)[0] ?? ['', {}];
  const top = body as Record<string, unknown>;
  let kind: SqlStatementKind | undefined = TOP_KIND[type];
  if (type === 'CreateTable' && top.query !== undefined && top.query !== null) kind = 'create_table_as';
  if (kind === undefined) {
    throw sqlRefusal('sql_forbidden_statement', `Statement type ${type || 'unknown'} is not allowed.`, { statement: type });
  }
  const tables = new TableSet();
  const cteScopes = new WeakMap<object, ReadonlySet<string>>();
  const params: Array<{ name: string; line: number; column: number }> = [];
  const writes = kind !== 'select';

  const addTable = (parts: string[], context: Ctx, allowCte: boolean): void => {
    if (parts.length === 0 || parts.length > 3 || parts.some((p) => p === '')) {
      throw sqlRefusal('sql_unsupported_table_name', `Table name ${parts.join('.')} is not understood.`);
    }
    const [name] = parts.slice(-1) as [string];
    if (allowCte && !context.write && parts.length === 1 && context.scope.has(name)) return;
    const ref: SqlTableRef = { name, access: context.write ? 'write' : 'read' };
    const schema = parts.length >= 2 ? parts.at(-2) : defaultSchema;
    if (schema !== undefined) ref.schema = schema;
    if (parts.length === 3) ref.database = parts[0]!;
    tables.add(ref);
  };

  if (type === 'CreateTable') addTable(nameParts(top.name), { scope: new Set(), write: true }, false);
  if (type === 'Insert') {
    const target = top.table as { TableName?: unknown } | undefined;
    if (target?.TableName === undefined) throw sqlRefusal('sql_forbidden_statement', 'INSERT target must be a table.');
    addTable(nameParts(target.TableName), { scope: new Set(), write: true }, false);
  }

  walkTree<Ctx>(stmt, { scope: new Set(), write: false }, ({ key, node, depth, context }) => {
    if (DML.has(key) && depth > 1 && ('table' in node || 'from' in node)) {
      throw sqlRefusal('sql_forbidden_statement', `Nested ${key} is not allowed.`, { statement: key });
    }
    if (key === 'Function' && Array.isArray(node.name)) {
      const name = nameParts(node.name).at(-1) ?? '';
      if (deniedFunction('bigquery', name)) {
        throw sqlRefusal('sql_forbidden_function', `Function ${name} is not allowed.`, { function: name });
      }
    }
    if (key === 'relation') {
      const variant = Object.keys(node)[0] ?? '';
      if (!KNOWN_FROM_ITEMS.has(variant)) {
        throw sqlRefusal('sql_forbidden_function', `FROM item ${variant} (a table-valued function or similar) is not allowed.`, { fromItem: variant });
      }
    }
    if (key === 'Table') {
      if (node.args !== undefined && node.args !== null) {
        throw sqlRefusal('sql_forbidden_function', 'Table-valued functions are not allowed.', { function: nameParts(node.name).join('.') });
      }
      if (Array.isArray(node.name)) addTable(nameParts(node.name), context, true);
      else if (typeof node.table_name === 'string') {
        addTable([...(typeof node.schema_name === 'string' ? [node.schema_name] : []), node.table_name], context, true);
      } else throw sqlRefusal('sql_unsupported_table_name', 'A table reference could not be read.');
    }
    // BigQuery has neither row locks nor SELECT … INTO a table: refuse rather than guess.
    if (Array.isArray(node.locks) && node.locks.length > 0) {
      throw sqlRefusal('sql_forbidden_statement', 'Locking clauses are not allowed.', { statement: 'Lock' });
    }
    if (key === 'Select' && node.into !== undefined && node.into !== null) {
      throw sqlRefusal('sql_forbidden_statement', 'SELECT … INTO is not allowed.', { statement: 'SelectInto' });
    }
    if (key === 'Placeholder' || (key === 'value' && 'Placeholder' in node)) {
      throw sqlRefusal('sql_unsupported_parameter', 'Only @name parameters are accepted on BigQuery.');
    }
    if ((key === 'Identifier' || key === 'CompoundIdentifier') && typeof node.value === 'string') {
      const ident = node as Ident;
      const value = node.value;
      if (value.startsWith('@') && !value.startsWith('@@') && (ident.quote_style ?? null) === null) {
        params.push({ name: value.slice(1), line: ident.span?.start?.line ?? 0, column: ident.span?.start?.column ?? 0 });
      }
    }

    const inherited = cteScopes.get(node) ?? context.scope;
    const withClause = node.with as { cte_tables?: unknown[]; recursive?: boolean } | null | undefined;
    const fullScope = withClause ? bindCtes(withClause, inherited, cteScopes) : inherited;
    const targets = WRITE_TARGET_KEYS[key] ?? [];
    return (childKey) => ({
      scope: childKey === 'with' ? inherited : fullScope,
      write: context.write || (depth === 1 && targets.includes(childKey)),
    });
  });

  params.sort((a, b) => a.line - b.line || a.column - b.column);
  const names = [...new Set(params.map((p) => p.name))];
  return { statementKind: kind, readOnly: !writes, tables: tables.list(), params: names };
}

function bindCtes(
  withClause: { cte_tables?: unknown[]; recursive?: boolean },
  outer: ReadonlySet<string>,
  cteScopes: WeakMap<object, ReadonlySet<string>>,
): ReadonlySet<string> {
  const ctes = (withClause.cte_tables ?? []) as Array<{ alias?: { name?: { value?: unknown } } }>;
  const names = ctes.map((c) => String(c.alias?.name?.value ?? ''));
  const all = new Set([...outer, ...names]);
  ctes.forEach((cte, index) => {
    cteScopes.set(cte, withClause.recursive === true ? all : new Set([...outer, ...names.slice(0, index)]));
  });
  return all;
}
