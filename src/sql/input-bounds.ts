import { sqlRefusal } from './refusal.js';

// C0 controls other than tab, newline and carriage return have no place in SQL and are a classic
// way to make two lexers disagree (a NUL ends a C string early).
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** A surrogate half without its partner cannot be encoded as UTF-8, so the server would see other bytes. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Cheap checks that run before any parser sees the text. */
export function checkInputBounds(sql: unknown, maxBytes: number): string {
  if (typeof sql !== 'string') throw sqlRefusal('sql_empty', 'SQL must be a string.');
  const bytes = Buffer.byteLength(sql, 'utf8');
  if (bytes > maxBytes) {
    throw sqlRefusal('sql_too_long', `SQL is ${bytes} bytes; the limit is ${maxBytes}.`, { bytes, maxBytes });
  }
  if (LONE_SURROGATE.test(sql)) throw sqlRefusal('sql_invalid_characters', 'SQL contains unpaired UTF-16 surrogates.');
  if (FORBIDDEN_CONTROL.test(sql)) throw sqlRefusal('sql_invalid_characters', 'SQL contains NUL or control characters.');
  if (sql.trim() === '') throw sqlRefusal('sql_empty', 'SQL is empty.');
  return sql;
}
