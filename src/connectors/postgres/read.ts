import type CursorClass from 'pg-cursor';
import type { PgField, TextRow } from './arrow-page.js';

export type TextCursor = CursorClass<TextRow>;

export interface CursorPage {
  rows: TextRow[];
  fields: PgField[];
}

/**
 * Every value stays PostgreSQL's text: the type map converts by column OID, exactly and with
 * the session's UTC/ISO settings, instead of pg's defaults (local-time Dates, lossy floats).
 */
export const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as const;

/**
 * Reads up to `count` rows from the portal (one Execute with a row limit). The callback form
 * is used because it also hands over the RowDescription (column names and type OIDs).
 * `count` must be ≥ 1: a limit of 0 means "all rows" to the server.
 */
export function readRows(cursor: TextCursor, count: number): Promise<CursorPage> {
  const limit = Math.max(1, Math.floor(count));
  return new Promise((resolve, reject) => {
    cursor.read(limit, (error, rows, result) => {
      if (error) reject(error);
      else resolve({ rows, fields: (result?.fields ?? []) as PgField[] });
    });
  });
}

/** Closes the portal so the connection can take the next statement; never throws. */
export async function closeCursor(cursor: TextCursor): Promise<void> {
  await cursor.close().catch(() => undefined);
}
