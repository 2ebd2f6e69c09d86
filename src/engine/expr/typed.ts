/**
 * The checked form of an expression: every node knows its static type and every function is
 * resolved, so evaluation never has to look anything up or fail on a type.
 */
import type { ArithOp, CompareOp } from './ast.js';
import type { ExprType } from './types.js';

export type TruncUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';
export const TRUNC_UNITS: readonly TruncUnit[] = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];

export type StringFn = 'lower' | 'upper' | 'trim' | 'length' | 'substr';
export type MathFn = 'abs' | 'round' | 'floor' | 'ceil';
export type PartFn = 'year' | 'month' | 'day';

export type Typed =
  | { kind: 'const'; type: ExprType; value: number | string | boolean | null }
  | { kind: 'column'; type: ExprType; name: string }
  | { kind: 'neg'; type: ExprType; arg: Typed }
  | { kind: 'not'; type: ExprType; arg: Typed }
  | { kind: 'arith'; type: ExprType; op: ArithOp; left: Typed; right: Typed }
  | { kind: 'compare'; type: ExprType; op: CompareOp; left: Typed; right: Typed }
  | { kind: 'logic'; type: ExprType; op: 'and' | 'or'; left: Typed; right: Typed }
  | { kind: 'is_null'; type: ExprType; negated: boolean; arg: Typed }
  | { kind: 'concat'; type: ExprType; args: Typed[] }
  /** `start` is 1-based; `count` is how many characters substr keeps (Infinity: to the end). */
  | { kind: 'string_fn'; type: ExprType; fn: StringFn; arg: Typed; start: number; count: number }
  | { kind: 'math_fn'; type: ExprType; fn: MathFn; arg: Typed; digits: number }
  | { kind: 'date_part'; type: ExprType; fn: PartFn; arg: Typed }
  | { kind: 'date_trunc'; type: ExprType; unit: TruncUnit; arg: Typed }
  | { kind: 'if'; type: ExprType; cond: Typed; then: Typed; otherwise: Typed }
  | { kind: 'coalesce'; type: ExprType; args: Typed[] };
