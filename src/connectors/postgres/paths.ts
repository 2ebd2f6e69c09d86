import { invalidArgument, notFound, type DataMcpError } from '../../results/errors.js';
import { checkPath } from '../path-guard.js';

/**
 * Postgres paths are `schema/` (a prefix) and `schema/table`. Names are exact PostgreSQL
 * identifiers (case-sensitive, never folded). Schemas outside the allowlist, and the system
 * schemas, are NOT_FOUND whether or not they exist, so the connector is no way to probe them.
 */
// PostgreSQL reserves every `pg_` schema name (pg_catalog, pg_toast*, pg_temp_N, ...).
const SYSTEM_SCHEMA = /^(pg_.*|information_schema)$/;

export function isSystemSchema(name: string): boolean {
  return SYSTEM_SCHEMA.test(name);
}

export function schemaVisible(name: string, allowlist: readonly string[] | undefined): boolean {
  return !isSystemSchema(name) && (allowlist === undefined || allowlist.includes(name));
}

function checkSchema(schema: string, allowlist: readonly string[] | undefined, connector: string): void {
  if (!schemaVisible(schema, allowlist)) {
    throw notFound(`schema "${schema}" is not available in connector "${connector}"`, 'Browse the connector root to see its schemas.');
  }
}

/** The schema a listing is for (undefined: the root, which lists schemas). */
export function locateListing(path: string, allowlist: readonly string[] | undefined, connector: string): string | undefined {
  const { segments, isPrefix } = checkPath(path);
  if (segments.length === 0) return undefined;
  const [schema, ...rest] = segments as [string, ...string[]];
  checkSchema(schema, allowlist, connector);
  if (rest.length > 0) {
    throw invalidArgument(`"${path}" is ${rest.length === 1 && !isPrefix ? 'a table' : 'not a schema'}; only the root and schemas can be listed`, `Describe "${schema}/${rest[0] ?? ''}" to see its columns, or list "${schema}/".`);
  }
  return schema;
}

export function locateTable(path: string, allowlist: readonly string[] | undefined, connector: string): { schema: string; table: string } {
  const { segments, isPrefix } = checkPath(path);
  const [schema, table] = segments;
  if (schema === undefined || table === undefined || segments.length !== 2 || isPrefix) {
    throw invalidArgument(`"${path}" does not name a table`, 'Tables are addressed as "schema/table"; browse the connector to find them.');
  }
  checkSchema(schema, allowlist, connector);
  return { schema, table };
}

export function notAnObjectStore(path: string): DataMcpError {
  return invalidArgument(`"${path}" is in a database, which has tables rather than files`, 'Use describe for a table\'s columns and row count, and query (SQL) or read_data on "schema/table" for its rows.');
}
