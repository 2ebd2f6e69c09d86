import { DataMcpError, invalidArgument } from '../../results/errors.js';
import { checkPath } from '../path-guard.js';

/** DynamoDB's own rule for table and index names. */
const NAME_RE = /^[A-Za-z0-9_.-]{3,255}$/;

export const isTableName = (name: string): boolean => NAME_RE.test(name);

/**
 * A connector path names one table (a single segment). Anything else is refused before a
 * request is built; a table outside the configured allowlist is NOT_FOUND, exactly like one
 * that does not exist, so the allowlist cannot be probed.
 */
export function locateTable(path: string, allowlist: readonly string[] | undefined, connector: string): string {
  const checked = checkPath(path);
  if (checked.segments.length !== 1 || checked.isPrefix) {
    throw invalidArgument(`"${path}" is not a DynamoDB table name`, 'DynamoDB paths are bare table names such as "orders"; browse the connector root to see them.');
  }
  const table = checked.segments[0]!;
  if (!isTableName(table)) {
    throw invalidArgument(`"${path}" is not a valid DynamoDB table name`, 'Table names are 3-255 characters of letters, digits, "_", "-" and ".".');
  }
  if (allowlist && !allowlist.includes(table)) {
    throw new DataMcpError('NOT_FOUND', `table "${table}" in connector "${connector}" does not exist`, 'Browse the connector root to see its tables.');
  }
  return table;
}

/** An index name from a request: same character rules as tables. */
export function checkIndexName(index: string): string {
  if (!isTableName(index)) throw invalidArgument(`"${index}" is not a valid DynamoDB index name`, 'Index names are 3-255 characters of letters, digits, "_", "-" and "."; describe the table to see its indexes.');
  return index;
}

/** The ListTables cursor is the last table name returned; anything else was not made by us. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!isTableName(cursor)) throw invalidArgument('the listing cursor is not valid', 'Browse again from the start without a cursor.');
  return cursor;
}
