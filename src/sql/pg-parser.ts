import type * as LibPgQueryModule from 'libpg-query';
import { sqlRefusal } from './refusal.js';

/** The real PostgreSQL parser (libpg_query compiled to WASM), loaded on first use: it is heavy. */
type LibPgQuery = typeof LibPgQueryModule;

let loading: Promise<LibPgQuery> | undefined;

async function libPgQuery(): Promise<LibPgQuery> {
  loading ??= import('libpg-query').then(async (mod) => {
    await mod.loadModule();
    return mod;
  });
  return loading;
}

export interface PgToken {
  /** Byte offsets into the UTF-8 encoding of the text. */
  start: number;
  end: number;
  text: string;
  tokenName: string;
}

export interface PgParseResult {
  stmts: Array<{ stmt?: Record<string, unknown> }>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The parser's own lexer: exactly how PostgreSQL splits the text into tokens. */
export async function pgScan(sql: string): Promise<PgToken[]> {
  const lib = await libPgQuery();
  try {
    return lib.scanSync(sql).tokens;
  } catch (error) {
    // An unterminated string or comment makes the scanner fail: nothing to approve.
    throw sqlRefusal('sql_parse_error', `SQL could not be tokenized: ${messageOf(error).slice(0, 200)}`);
  }
}

export async function pgParse(sql: string): Promise<PgParseResult> {
  const lib = await libPgQuery();
  try {
    return lib.parseSync(sql) as unknown as PgParseResult;
  } catch (error) {
    const message = messageOf(error);
    // Bison's stack limit ("memory exhausted") and a WASM stack overflow both mean: too deep.
    if (error instanceof RangeError || /memory exhausted|stack depth/i.test(message)) {
      throw sqlRefusal('sql_too_complex', 'SQL is nested too deeply to parse safely.');
    }
    const position = lib.hasSqlDetails(error) ? error.sqlDetails?.cursorPosition : undefined;
    throw sqlRefusal('sql_parse_error', `SQL could not be parsed: ${message.slice(0, 200)}`, { position });
  }
}
