/** The one operand-type check shared by the checker and the function table. */
import { ExprError } from './ast.js';
import type { Typed } from './typed.js';
import { describeType, type ExprType } from './types.js';

/** Checks an operand's type; `null` (the literal, or an all-null column) fits anywhere. */
export function expect(arg: Typed, pos: number, ok: (t: ExprType) => boolean, wanted: string, why: string): Typed {
  if (arg.type === 'null' || ok(arg.type)) return arg;
  throw new ExprError(pos, `expected ${wanted} here but found ${describeType(arg.type)}${arg.kind === 'column' ? ` (column ${JSON.stringify(arg.name)})` : ''}`, `${why}.`);
}
