/**
 * The derive expression language (DESIGN §10): text → tokens → tree → checked tree →
 * vectorized evaluation over one record batch at a time. Compilation reads only the schema;
 * every problem it finds is an `ExprError` with a position, which `exprErrorToInvalid`
 * turns into the INVALID_ARGUMENT the agent sees.
 */
import type * as arrow from 'apache-arrow';
import { typeName } from '../../formats/columns.js';
import { invalidArgument, type DataMcpError } from '../../results/errors.js';
import type { ExprError } from './ast.js';
import { checkExpression } from './check.js';
import { evaluate } from './eval.js';
import { parseExpression } from './parser.js';
import { readColumn } from './read-column.js';
import { arrowTypeFor, exprTypeOf, type ExprType } from './types.js';
import type { Vec } from './vectors.js';
import { writeColumn } from './write-column.js';

export { ExprError } from './ast.js';
export { MAX_DEPTH, MAX_EXPRESSION_LENGTH, MAX_NODES } from './parser.js';
export { FUNCTION_SIGNATURES } from './functions.js';

export interface CompiledExpression {
  /** The Arrow type of the result (the column's own type when the expression is a bare name). */
  type: arrow.DataType;
  /** Computes one batch: `chunk(name)` is that batch's data for a column of the scope. */
  evaluate(chunk: (name: string) => arrow.Data, length: number): arrow.Data;
}

/** Compiles `text` against the columns it may read; throws `ExprError`. */
export function compileExpression(text: string, fields: readonly arrow.Field[]): CompiledExpression {
  const tree = parseExpression(text);
  const byName = new Map<string, arrow.Field>();
  for (const f of fields) if (!byName.has(f.name)) byName.set(f.name, f);
  // A bare column name copies the column as it is, whatever its type.
  if (tree.kind === 'column' && byName.has(tree.name)) {
    const name = tree.name;
    return { type: byName.get(name)!.type, evaluate: (chunk) => chunk(name) };
  }
  const columns = new Map<string, ExprType | undefined>();
  const typeNames = new Map<string, string>();
  for (const [name, f] of byName) {
    columns.set(name, exprTypeOf(f.type));
    typeNames.set(name, typeName(f.type));
  }
  const typed = checkExpression(tree, { columns, typeNames });
  return {
    type: arrowTypeFor(typed.type),
    evaluate(chunk, length) {
      const cache = new Map<string, Vec>();
      const column = (name: string, type: ExprType): Vec => {
        let vec = cache.get(name);
        if (vec === undefined) {
          vec = readColumn(chunk(name), type);
          cache.set(name, vec);
        }
        return vec;
      };
      return writeColumn(evaluate(typed, { n: length, column }), typed.type, length);
    },
  };
}

/** "<label>: <problem> at position N of "<expression>"" with the checker's hint. */
export function exprErrorToInvalid(err: ExprError, label: string, text: string): DataMcpError {
  const position = Math.min(err.pos, text.length) + 1;
  return invalidArgument(`${label}: ${err.problem} at position ${position} of ${excerpt(text, err.pos)}.`, err.hint, { position, problem: err.problem });
}

function excerpt(text: string, pos: number): string {
  if (text.length <= 120) return JSON.stringify(text);
  const from = Math.max(0, pos - 50);
  const to = Math.min(text.length, pos + 50);
  return `${from > 0 ? '…' : ''}${JSON.stringify(text.slice(from, to))}${to < text.length ? '…' : ''} (${text.length} characters)`;
}
