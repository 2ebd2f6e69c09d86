/**
 * Rewrites Redshift Data API named parameters (`:name`) to PostgreSQL placeholders (`$n`),
 * for the Data API test double. Only code is rewritten: string literals ('...', E'...' with
 * backslash escapes), quoted identifiers, dollar-quoted bodies, `--` and (nested) block
 * comments pass through untouched, and `::` casts are never parameters.
 */
export interface RewrittenSql {
  text: string;
  /** Parameter names in `$n` order (a name used twice keeps one number). */
  names: string[];
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_]/;

export function rewriteNamedParams(sql: string): RewrittenSql {
  const names: string[] = [];
  const numberOf = new Map<string, number>();
  let out = '';
  let i = 0;
  const n = sql.length;
  const copyUntil = (end: number) => {
    out += sql.slice(i, end);
    i = end;
  };
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'") {
      const escapes = i > 0 && /[Ee]/.test(sql[i - 1]!) && (i < 2 || !IDENT_CHAR.test(sql[i - 2]!));
      copyUntil(endOfQuoted(sql, i, "'", escapes));
    } else if (c === '"') {
      copyUntil(endOfQuoted(sql, i, '"', false));
    } else if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      copyUntil(eol < 0 ? n : eol + 1);
    } else if (c === '/' && next === '*') {
      copyUntil(endOfBlockComment(sql, i));
    } else if (c === '$' && (i === 0 || !IDENT_CHAR.test(sql[i - 1]!))) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        copyUntil(close < 0 ? n : close + tag.length);
      } else copyUntil(i + 1);
    } else if (c === ':' && next === ':') {
      copyUntil(i + 2);
    } else if (c === ':' && next !== undefined && IDENT_START.test(next)) {
      let end = i + 1;
      while (end < n && IDENT_CHAR.test(sql[end]!)) end++;
      const name = sql.slice(i + 1, end);
      let number = numberOf.get(name);
      if (number === undefined) {
        names.push(name);
        number = names.length;
        numberOf.set(name, number);
      }
      out += `$${number}`;
      i = end;
    } else {
      copyUntil(i + 1);
    }
  }
  return { text: out, names };
}

/** Index just past a quoted run starting at `start` (doubled quotes escape; optionally backslashes). */
function endOfQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return sql.length;
}

function endOfBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return sql.length;
}
