import type * as SqlParserTsModule from '@guanmingchiu/sqlparser-ts';
import { sqlRefusal } from './refusal.js';

/** datafusion-sqlparser-rs compiled to WASM, BigQuery dialect; loaded on first use. */
type SqlParserTs = typeof SqlParserTsModule;

let loading: Promise<SqlParserTs> | undefined;

async function sqlParserTs(): Promise<SqlParserTs> {
  loading ??= import('@guanmingchiu/sqlparser-ts').then(async (mod) => {
    await mod.init();
    return mod;
  });
  return loading;
}

/** Parses BigQuery SQL into statements (plain JSON objects, one key per enum variant). */
export async function bqParse(sql: string): Promise<Array<Record<string, unknown>>> {
  const lib = await sqlParserTs();
  try {
    // The parser's own recursion limit (default 50 levels) turns deep nesting into an error
    // instead of a WASM stack overflow.
    return lib.parse(sql, 'bigquery') as unknown as Array<Record<string, unknown>>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RangeError || /recursion limit/i.test(message)) {
      throw sqlRefusal('sql_too_complex', 'SQL is nested too deeply to parse safely.');
    }
    throw sqlRefusal('sql_parse_error', `SQL could not be parsed: ${message.slice(0, 200)}`);
  }
}
