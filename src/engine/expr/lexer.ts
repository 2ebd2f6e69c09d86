/**
 * Splits an expression into tokens by scanning characters one at a time: no regular
 * expression ever runs over the input as a whole, so no input can make the lexer backtrack.
 * Identifiers may use any Unicode letter; keywords are matched case-insensitively.
 */
import { ExprError, GRAMMAR_HINT } from './ast.js';

export type TokenType = 'number' | 'string' | 'ident' | 'quoted' | 'op' | '(' | ')' | ',' | 'eof';

export interface Token {
  type: TokenType;
  /** Operator text, identifier or string contents (quotes and escapes removed). */
  text: string;
  /** The value of a number token. */
  value: number;
  pos: number;
}

const OPERATORS = ['||', '<=', '>=', '!=', '<>', '==', '=', '<', '>', '+', '-', '*', '/', '%'];
const LETTER = /^[\p{L}_]$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}_]$/u;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** The code point at `i` as a string (one or two UTF-16 units). */
function codePointAt(text: string, i: number): string {
  return String.fromCodePoint(text.codePointAt(i)!);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (type: TokenType, tokenText: string, pos: number, value = 0): void => {
    tokens.push({ type, text: tokenText, value, pos });
  };
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
    } else if (isDigit(c) || (c === '.' && isDigit(text[i + 1]))) {
      i = readNumber(text, i, push);
    } else if (c === "'" || c === '"') {
      i = readQuoted(text, i, c, push);
    } else if (c === '(' || c === ')' || c === ',') {
      push(c, c, i);
      i++;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op !== undefined) {
        push('op', op === '<>' ? '!=' : op === '==' ? '=' : op, i);
        i += op.length;
        continue;
      }
      const ch = codePointAt(text, i);
      if (!LETTER.test(ch)) {
        throw new ExprError(i, `unexpected character ${JSON.stringify(ch)}`, GRAMMAR_HINT);
      }
      const start = i;
      i += ch.length;
      while (i < text.length) {
        const next = codePointAt(text, i);
        if (!LETTER_OR_DIGIT.test(next)) break;
        i += next.length;
      }
      push('ident', text.slice(start, i), start);
    }
  }
  push('eof', '', text.length);
  return tokens;
}

type Push = (type: TokenType, text: string, pos: number, value?: number) => void;

function readNumber(text: string, start: number, push: Push): number {
  let i = start;
  while (isDigit(text[i])) i++;
  if (text[i] === '.') {
    i++;
    while (isDigit(text[i])) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    if (isDigit(text[j])) {
      while (isDigit(text[j])) j++;
      i = j;
    }
  }
  const literal = text.slice(start, i);
  if (i < text.length && LETTER_OR_DIGIT.test(codePointAt(text, i))) {
    throw new ExprError(i, `unexpected character ${JSON.stringify(codePointAt(text, i))} after the number ${literal}`, 'Separate numbers from names with an operator or a space; quote column names that start with a digit: "2024 sales".');
  }
  const value = Number(literal);
  if (!Number.isFinite(value)) throw new ExprError(start, `the number ${literal.slice(0, 40)} is out of range`, 'Numbers must fit in a 64-bit float (below about 1.8e308).');
  push('number', literal, start, value);
  return i;
}

/** 'text' or "name", with the quote doubled inside to stand for itself. */
function readQuoted(text: string, start: number, quote: string, push: Push): number {
  const parts: string[] = [];
  let i = start + 1;
  let from = i;
  for (;;) {
    const at = text.indexOf(quote, i);
    if (at < 0) {
      const what = quote === "'" ? 'text' : 'column name';
      throw new ExprError(start, `unterminated ${what} (the ${quote} here is never closed)`, `Close it with ${quote}; write ${quote}${quote} for a ${quote} inside it.`);
    }
    if (text[at + 1] === quote) {
      parts.push(text.slice(from, at + 1));
      i = at + 2;
      from = i;
      continue;
    }
    parts.push(text.slice(from, at));
    const content = parts.join('');
    if (quote === '"' && content.length === 0) throw new ExprError(start, 'empty column name ""', 'Put the column name between the double quotes, or use single quotes for text.');
    push(quote === "'" ? 'string' : 'quoted', content, start);
    return at + 1;
  }
}

/** A token as error messages name it. */
export function describeToken(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'the end of the expression';
    case 'string':
      return `the text '${t.text.slice(0, 20)}${t.text.length > 20 ? '…' : ''}'`;
    case 'number':
      return `the number ${t.text.slice(0, 20)}`;
    case 'ident':
    case 'quoted':
      return `"${t.text.slice(0, 40)}"`;
    default:
      return `"${t.text}"`;
  }
}
