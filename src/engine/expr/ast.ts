/**
 * The syntax tree of the derive expression language, and the one error type its lexer, parser
 * and type-checker throw. Positions are 0-based offsets into the expression text; the caller
 * turns an `ExprError` into an INVALID_ARGUMENT that names the expression and shows the
 * position 1-based, as people count.
 */

export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type BinaryOp = ArithOp | CompareOp | '||' | 'and' | 'or';

export type ExprNode =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'bool'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  | { kind: 'column'; name: string; pos: number }
  | { kind: 'unary'; op: '-' | 'not'; arg: ExprNode; pos: number }
  | { kind: 'binary'; op: BinaryOp; left: ExprNode; right: ExprNode; pos: number }
  | { kind: 'is_null'; negated: boolean; arg: ExprNode; pos: number }
  | { kind: 'call'; name: string; args: ExprNode[]; pos: number };

/** A problem at a position of the expression; `hint` says what is allowed instead. */
export class ExprError extends Error {
  constructor(
    readonly pos: number,
    readonly problem: string,
    readonly hint: string,
  ) {
    super(problem);
    this.name = 'ExprError';
  }
}

/** The grammar in one breath, for hints after a syntax error. */
export const GRAMMAR_HINT =
  "Expressions use numbers, 'single-quoted' text ('' for a quote), true/false/null, column names (bare, or \"double-quoted\" when they hold spaces or symbols), " +
  '+ - * / % on numbers, || to join text, = != < <= > >=, is [not] null, and/or/not, parentheses and functions such as lower(name) or if(x > 0, 1, 0).';
