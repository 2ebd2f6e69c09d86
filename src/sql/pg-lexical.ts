import type { SqlDialect } from './types.js';
import type { PgToken } from './pg-parser.js';
import { sqlRefusal } from './refusal.js';

/**
 * Token-level checks that close gaps between our parser and the server's lexer, done on the
 * parser's own tokens (never on raw text):
 * - A backslash in a plain '…' literal means one thing with standard_conforming_strings on
 *   (PostgreSQL default) and another with it off (Redshift, older settings): `'a\'` may end the
 *   literal for us and not for the server, hiding a stacked statement. Refused; E'…' is exact on
 *   PostgreSQL and stays allowed there.
 * - Redshift's older lexer is not trusted with dollar quoting or nested comments, and PostgreSQL
 *   gains nothing from nested comments, so those are refused too.
 */
export function checkLexicalAmbiguity(tokens: PgToken[], dialect: SqlDialect): void {
  for (const token of tokens) {
    const text = token.text;
    if (token.tokenName === 'C_COMMENT' && text.slice(2, -2).includes('/*')) {
      throw sqlRefusal('sql_ambiguous_literal', 'Nested /* */ comments are not accepted.');
    }
    const quote = text.indexOf("'");
    const isQuotedLiteral = quote >= 0 && /^[A-Za-z&]*$/.test(text.slice(0, quote)) && !text.startsWith('"');
    if (isQuotedLiteral && text.includes('\\')) {
      const escapeString = quote === 1 && (text[0] === 'E' || text[0] === 'e');
      if (dialect === 'redshift' || !escapeString) {
        throw sqlRefusal('sql_ambiguous_literal', 'A backslash inside a string literal is ambiguous across servers.');
      }
    }
    if (dialect === 'redshift' && token.tokenName === 'SCONST' && text.startsWith('$')) {
      throw sqlRefusal('sql_ambiguous_literal', 'Dollar-quoted strings are not accepted for Redshift.');
    }
  }
}

export interface NamedParams {
  params: string[];
  positionalSql: string;
}

const IDENTIFIER_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Maps `:name` to `$n`. A named parameter is a `:` token immediately followed (no space) by an
 * unquoted word token, outside `[...]` (where `:` is the array-slice operator). `::` is its own
 * token (a cast) and strings, quoted identifiers and comments are single tokens, so none of them
 * can be touched. The result is parsed again by the caller: what is approved is what runs.
 */
export function mapNamedParams(sql: string, tokens: PgToken[]): NamedParams {
  const bytes = Buffer.from(sql, 'utf8');
  const params: string[] = [];
  const edits: Array<{ start: number; end: number; index: number }> = [];
  let bracketDepth = 0;
  let hasPositional = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.text === '[') bracketDepth++;
    else if (token.text === ']') bracketDepth = Math.max(0, bracketDepth - 1);
    else if (token.tokenName === 'PARAM') hasPositional = true;
    else if (token.text === ':' && bracketDepth === 0) {
      const next = tokens[i + 1];
      if (next === undefined || next.start !== token.end || !IDENTIFIER_WORD.test(next.text)) continue;
      let index = params.indexOf(next.text);
      if (index < 0) index = params.push(next.text) - 1;
      edits.push({ start: token.start, end: next.end, index });
      i++;
    }
  }
  if (params.length > 0 && hasPositional) {
    throw sqlRefusal('sql_unsupported_parameter', 'SQL mixes :name and $n parameters.');
  }
  if (edits.length === 0) return { params, positionalSql: sql };
  const parts: Buffer[] = [];
  let cursor = 0;
  for (const edit of edits) {
    parts.push(bytes.subarray(cursor, edit.start), Buffer.from(`$${edit.index + 1}`, 'utf8'));
    cursor = edit.end;
  }
  parts.push(bytes.subarray(cursor));
  return { params, positionalSql: Buffer.concat(parts).toString('utf8') };
}
