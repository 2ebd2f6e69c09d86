/**
 * Evaluates a checked expression over one batch, node by node: each node yields a whole
 * column (never a per-row walk of the tree). Recursion depth is bounded by the parser.
 */
import { arith, isNull, logic, negate, not } from './eval-ops.js';
import { compare } from './eval-compare.js';
import { coalesce, concat, ifThen, mathFn, stringFn } from './eval-functions.js';
import { datePart, dateTrunc } from './time.js';
import type { Typed } from './typed.js';
import type { ExprType } from './types.js';
import { asNum, type Vec } from './vectors.js';

export interface Env {
  /** Rows in the batch. */
  n: number;
  /** The batch's column as a vector (the caller caches, so `a * a` reads `a` once). */
  column(name: string, type: ExprType): Vec;
}

export function evaluate(node: Typed, env: Env): Vec {
  const n = env.n;
  const ev = (child: Typed): Vec => evaluate(child, env);
  switch (node.kind) {
    case 'const':
      return { kind: 'const', value: node.value };
    case 'column':
      return env.column(node.name, node.type);
    case 'neg':
      return negate(ev(node.arg), n);
    case 'not':
      return not(ev(node.arg), n);
    case 'is_null':
      return isNull(ev(node.arg), node.negated, n);
    case 'arith':
      return arith(node.op, ev(node.left), ev(node.right), n);
    case 'compare':
      return compare(node.op, ev(node.left), ev(node.right), n);
    case 'logic':
      return logic(node.op, ev(node.left), ev(node.right), n);
    case 'concat':
      return concat(node.args.map(ev), node.args.map((a) => a.type), n);
    case 'string_fn':
      return stringFn(node.fn, ev(node.arg), node.start, node.count, n);
    case 'math_fn':
      return mathFn(node.fn, ev(node.arg), node.digits, n);
    case 'date_part':
    case 'date_trunc': {
      const arg = ev(node.arg);
      if (arg.kind === 'const' && arg.value === null) return arg;
      return node.kind === 'date_part' ? datePart(node.fn, asNum(arg, n), n) : dateTrunc(node.unit, asNum(arg, n), n);
    }
    case 'if':
      return ifThen(ev(node.cond), ev(node.then), ev(node.otherwise), node.type, n);
    case 'coalesce':
      return coalesce(node.args.map((a) => () => ev(a)), node.type, n);
  }
}
