/**
 * The functions of the derive language: arity, argument types and result type, checked at
 * plan time. Arguments that shape the computation (substr's positions, round's digits,
 * date_trunc's unit) must be literals, so string functions can run once per dictionary entry.
 */
import { ExprError, type ExprNode } from './ast.js';
import type { CheckNode } from './check.js';
import { expect } from './expect-type.js';
import { TRUNC_UNITS, type MathFn, type PartFn, type StringFn, type TruncUnit, type Typed } from './typed.js';
import { describeType, isNumeric, isTime, unifyTypes, type ExprType } from './types.js';

type CallNode = Extract<ExprNode, { kind: 'call' }>;

interface FunctionSpec {
  signature: string;
  minArgs: number;
  maxArgs: number;
  check(call: CallNode, check: CheckNode): Typed;
}

const isString = (t: ExprType): boolean => t === 'string';
const isBool = (t: ExprType): boolean => t === 'bool';

function stringFn(fn: StringFn): FunctionSpec['check'] {
  return (call, check) => {
    const arg = expect(check(call.args[0]!), call.args[0]!.pos, isString, 'text', `${fn} works on text; use concat(x) or x || '' to turn a value into text`);
    if (fn !== 'substr') return { kind: 'string_fn', type: fn === 'length' ? 'int32' : 'string', fn, arg, start: 1, count: Infinity };
    const start = integerLiteral(call, 1, 1, 1_000_000);
    const count = call.args.length > 2 ? integerLiteral(call, 2, 0, 1_000_000) : Infinity;
    return { kind: 'string_fn', type: 'string', fn, arg, start, count };
  };
}

function mathFn(fn: MathFn): FunctionSpec['check'] {
  return (call, check) => {
    const arg = expect(check(call.args[0]!), call.args[0]!.pos, isNumeric, 'a number', `${fn} works on numbers`);
    const digits = fn === 'round' && call.args.length > 1 ? integerLiteral(call, 1, -15, 15) : 0;
    return { kind: 'math_fn', type: 'float64', fn, arg, digits };
  };
}

function partFn(fn: PartFn): FunctionSpec['check'] {
  return (call, check) => {
    const arg = expect(check(call.args[0]!), call.args[0]!.pos, isTime, 'a timestamp or date', `${fn} reads timestamps and dates; cast text columns to timestamp first`);
    return { kind: 'date_part', type: 'int32', fn, arg };
  };
}

const FUNCTIONS = new Map<string, FunctionSpec>([
  ['lower', { signature: 'lower(text)', minArgs: 1, maxArgs: 1, check: stringFn('lower') }],
  ['upper', { signature: 'upper(text)', minArgs: 1, maxArgs: 1, check: stringFn('upper') }],
  ['trim', { signature: 'trim(text)', minArgs: 1, maxArgs: 1, check: stringFn('trim') }],
  ['length', { signature: 'length(text) → int32 (characters)', minArgs: 1, maxArgs: 1, check: stringFn('length') }],
  ['substr', { signature: 'substr(text, start from 1[, length])', minArgs: 2, maxArgs: 3, check: stringFn('substr') }],
  ['concat', { signature: 'concat(a, b, …) → text', minArgs: 1, maxArgs: 100, check: (call, check) => ({ kind: 'concat', type: 'string', args: call.args.map(check) }) }],
  ['coalesce', { signature: 'coalesce(a, b, …) → first non-null', minArgs: 1, maxArgs: 100, check: checkCoalesce }],
  ['abs', { signature: 'abs(x)', minArgs: 1, maxArgs: 1, check: mathFn('abs') }],
  ['round', { signature: 'round(x[, digits])', minArgs: 1, maxArgs: 2, check: mathFn('round') }],
  ['floor', { signature: 'floor(x)', minArgs: 1, maxArgs: 1, check: mathFn('floor') }],
  ['ceil', { signature: 'ceil(x)', minArgs: 1, maxArgs: 1, check: mathFn('ceil') }],
  ['year', { signature: 'year(time) → int32', minArgs: 1, maxArgs: 1, check: partFn('year') }],
  ['month', { signature: 'month(time) → int32', minArgs: 1, maxArgs: 1, check: partFn('month') }],
  ['day', { signature: 'day(time) → int32', minArgs: 1, maxArgs: 1, check: partFn('day') }],
  ['date_trunc', { signature: `date_trunc('${TRUNC_UNITS.join("'|'")}', time) → timestamp`, minArgs: 2, maxArgs: 2, check: checkDateTrunc }],
  ['if', { signature: 'if(condition, then, else)', minArgs: 3, maxArgs: 3, check: checkIf }],
]);

export const FUNCTION_SIGNATURES = [...FUNCTIONS.values()].map((f) => f.signature);

export function checkCall(call: CallNode, check: CheckNode): Typed {
  const spec = FUNCTIONS.get(call.name);
  if (spec === undefined) {
    throw new ExprError(call.pos, `unknown function ${JSON.stringify(call.name.slice(0, 40))}`, `Functions: ${FUNCTION_SIGNATURES.join('; ')}. A column name followed by ( reads as a call: quote it, "name".`);
  }
  const n = call.args.length;
  if (n < spec.minArgs || n > spec.maxArgs) {
    const wanted = spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : spec.maxArgs >= 100 ? `at least ${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
    throw new ExprError(call.pos, `${call.name} takes ${wanted} argument${wanted === '1' ? '' : 's'}, not ${n}`, `Write ${spec.signature}.`);
  }
  return spec.check(call, check);
}

function integerLiteral(call: CallNode, index: number, min: number, max: number): number {
  const arg = call.args[index]!;
  if (arg.kind !== 'number' || !Number.isInteger(arg.value) || arg.value < min || arg.value > max) {
    throw new ExprError(arg.pos, `argument ${index + 1} of ${call.name} must be a whole-number literal from ${min} to ${max}`, `Write it as a plain number, e.g. ${FUNCTIONS.get(call.name)!.signature}.`);
  }
  return arg.value;
}

function unifyAll(call: CallNode, typed: Typed[], first: number): ExprType {
  let type: ExprType = 'null';
  for (let i = first; i < typed.length; i++) {
    const next = unifyTypes(type, typed[i]!.type);
    if (next === undefined) {
      throw new ExprError(call.args[i]!.pos, `${call.name} mixes ${describeType(type)} with ${describeType(typed[i]!.type)}`, `All value arguments of ${call.name} must have one type (numbers mix with numbers, timestamps with dates); cast or concat() to make them agree.`);
    }
    type = next;
  }
  return type;
}

function checkCoalesce(call: CallNode, check: CheckNode): Typed {
  const args = call.args.map(check);
  return { kind: 'coalesce', type: unifyAll(call, args, 0), args };
}

function checkIf(call: CallNode, check: CheckNode): Typed {
  const args = call.args.map(check);
  const cond = expect(args[0]!, call.args[0]!.pos, isBool, 'a condition (bool)', 'if(condition, then, else) picks then where the condition is true, else where it is false or null');
  return { kind: 'if', type: unifyAll(call, args, 1), cond, then: args[1]!, otherwise: args[2]! };
}

function checkDateTrunc(call: CallNode, check: CheckNode): Typed {
  const unitNode = call.args[0]!;
  const unit = unitNode.kind === 'string' ? unitNode.value.toLowerCase() : undefined;
  if (unit === undefined || !(TRUNC_UNITS as readonly string[]).includes(unit)) {
    throw new ExprError(unitNode.pos, 'the first argument of date_trunc must be a unit in single quotes', `Units: ${TRUNC_UNITS.map((u) => `'${u}'`).join(', ')} (weeks start on Monday; all in UTC).`);
  }
  const arg = expect(check(call.args[1]!), call.args[1]!.pos, isTime, 'a timestamp or date', 'date_trunc rounds timestamps and dates down; cast text columns to timestamp first');
  return { kind: 'date_trunc', type: 'timestamp', unit: unit as TruncUnit, arg };
}
