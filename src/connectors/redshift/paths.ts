import { DataMcpError, invalidArgument } from '../../results/errors.js';
import { checkPath } from '../path-guard.js';

/** A connector path split into schema and table: `""`, `schema/`, or `schema/table`. */
export interface RelationPath {
  schema?: string;
  table?: string;
}

/** Redshift's own schemas: hidden unless an operator lists one in `schemas`. */
export function isSystemSchema(schema: string): boolean {
  return schema === 'information_schema' || schema.startsWith('pg_');
}

/** True when the connector exposes the schema (allowlist, or every non-system schema). */
export function schemaVisible(schema: string, allowlist: readonly string[] | undefined): boolean {
  return allowlist ? allowlist.includes(schema) : !isSystemSchema(schema);
}

const HINT = 'Paths are "schema/" (its tables) or "schema/table"; browse the connector root to see the schemas.';

/**
 * Validates and splits a path. A schema outside the allowlist is NOT_FOUND whether or not it
 * exists upstream, so the connector never becomes a way to probe for schemas.
 */
export function locateRelation(path: string, allowlist: readonly string[] | undefined, connector: string): RelationPath {
  const { segments, isPrefix } = checkPath(path);
  if (segments.length === 0) return {};
  if (segments.length > 2 || (segments.length === 2 && isPrefix)) throw invalidArgument(`"${path}" is not a schema or table path`, HINT);
  const [schema, table] = segments as [string, string | undefined];
  if (!schemaVisible(schema, allowlist)) {
    throw new DataMcpError('NOT_FOUND', `schema "${schema}" is not available in connector "${connector}"`, 'Browse the connector root to see the schemas it exposes.');
  }
  return table === undefined ? { schema } : { schema, table };
}

/** Requires `schema/table`. */
export function locateTable(path: string, allowlist: readonly string[] | undefined, connector: string): { schema: string; table: string } {
  const where = locateRelation(path, allowlist, connector);
  if (where.schema === undefined || where.table === undefined) {
    throw invalidArgument(`"${path}" names ${where.schema === undefined ? 'the connector root' : 'a schema'}, not a table`, HINT);
  }
  return { schema: where.schema, table: where.table };
}

/** Listing cursors carry the listed path with the upstream NextToken, so one cannot be replayed elsewhere. */
export function encodeCursor(path: string, token: string): string {
  return Buffer.from(JSON.stringify({ p: path, t: token }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, path: string): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown; t?: unknown };
    if (parsed.p === path && typeof parsed.t === 'string' && parsed.t !== '') return parsed.t;
  } catch {
    // fall through: not a cursor of ours
  }
  throw invalidArgument('the cursor does not belong to this listing', 'Repeat the listing without a cursor.');
}
