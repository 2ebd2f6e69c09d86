/**
 * Type-checks a parsed expression against the columns it may read, before any data is read:
 * unknown columns, operands of the wrong type and unknown functions fail here with the
 * position and a hint. Recursion is safe: the parser bounds the tree to MAX_NODES nodes.
 */
import { parseIsoMillis } from '../../formats/infer.js';
import { ExprError, type CompareOp, type ExprNode } from './ast.js';
import { checkCall } from './functions.js';
import { expect } from './expect-type.js';
import type { Typed } from './typed.js';
import { describeType, isNumeric, isTime, type ExprType } from './types.js';

/** What an expression may read: column name → its expression type (undefined: unreadable). */
export interface Scope {
  columns: ReadonlyMap<string, ExprType | undefined>;
  /** Arrow type names, for "cannot read a column of type …" messages. */
  typeNames: ReadonlyMap<string, string>;
}

export type CheckNode = (node: ExprNode) => Typed;

export function checkExpression(node: ExprNode, scope: Scope): Typed {
  const check: CheckNode = (n) => checkNode(n, scope, check);
  return check(node);
}

function checkNode(node: ExprNode, scope: Scope, check: CheckNode): Typed {
  switch (node.kind) {
    case 'number':
      return { kind: 'const', type: Number.isInteger(node.value) && Math.abs(node.value) <= 2147483647 ? 'int32' : 'float64', value: node.value };
    case 'string':
      return { kind: 'const', type: 'string', value: node.value };
    case 'bool':
      return { kind: 'const', type: 'bool', value: node.value };
    case 'null':
      return { kind: 'const', type: 'null', value: null };
    case 'column':
      return checkColumn(node.name, node.pos, scope);
    case 'unary': {
      const arg = check(node.arg);
      if (node.op === '-') return { kind: 'neg', type: 'float64', arg: expect(arg, node.arg.pos, isNumeric, 'a number', "unary minus negates numbers") };
      return { kind: 'not', type: 'bool', arg: expect(arg, node.arg.pos, (t) => t === 'bool', 'a bool', 'not negates a condition') };
    }
    case 'is_null':
      return { kind: 'is_null', type: 'bool', negated: node.negated, arg: check(node.arg) };
    case 'call':
      return checkCall(node, check);
    case 'binary': {
      const left = check(node.left);
      const right = check(node.right);
      switch (node.op) {
        case 'and':
        case 'or': {
          const isBool = (t: ExprType): boolean => t === 'bool';
          const why = `${node.op} combines conditions such as x > 1`;
          return { kind: 'logic', type: 'bool', op: node.op, left: expect(left, node.left.pos, isBool, 'a bool', why), right: expect(right, node.right.pos, isBool, 'a bool', why) };
        }
        case '||':
          return { kind: 'concat', type: 'string', args: [left, right] };
        case '+':
        case '-':
        case '*':
        case '/':
        case '%': {
          const why = node.op === '+' ? '+ adds numbers; join text with ||' : `${node.op} works on numbers`;
          return { kind: 'arith', type: 'float64', op: node.op, left: expect(left, node.left.pos, isNumeric, 'a number', why), right: expect(right, node.right.pos, isNumeric, 'a number', why) };
        }
        default:
          return checkCompare(node.op, left, right, node.pos);
      }
    }
  }
}

function checkColumn(name: string, pos: number, scope: Scope): Typed {
  if (!scope.columns.has(name)) {
    const names = [...scope.columns.keys()];
    const listed = names.slice(0, 50).map((c) => JSON.stringify(c)).join(', ') + (names.length > 50 ? `, … (${names.length - 50} more)` : '');
    throw new ExprError(pos, `unknown column ${JSON.stringify(name.slice(0, 200))}`, `Available columns: ${listed || '(none)'}. Names are case-sensitive; write names with spaces or symbols in double quotes, text in single quotes.`);
  }
  const type = scope.columns.get(name);
  if (type === undefined) {
    throw new ExprError(pos, `column ${JSON.stringify(name)} has type ${scope.typeNames.get(name) ?? 'unknown'}, which expressions cannot read`, 'Expressions read number, text, bool, timestamp and date columns; cast the column first.');
  }
  return { kind: 'column', type, name };
}

function checkCompare(op: CompareOp, left: Typed, right: Typed, pos: number): Typed {
  // Text literals compared with a time are read as ISO-8601 once, here.
  const l = timeLiteral(left, right, pos);
  const r = timeLiteral(right, left, pos);
  const a = l.type;
  const b = r.type;
  const fits = a === 'null' || b === 'null' || a === b || (isNumeric(a) && isNumeric(b)) || (isTime(a) && isTime(b));
  if (!fits) {
    throw new ExprError(pos, `cannot compare ${describeType(a)} with ${describeType(b)}`, "Compare numbers with numbers, text with text, bools with bools and times with times or ISO-8601 text ('2026-09-01').");
  }
  return { kind: 'compare', type: 'bool', op, left: l, right: r };
}

function timeLiteral(side: Typed, other: Typed, pos: number): Typed {
  if (!isTime(other.type) || side.kind !== 'const' || typeof side.value !== 'string') return side;
  const millis = parseIsoMillis(side.value.trim());
  if (millis === undefined) {
    throw new ExprError(pos, `${JSON.stringify(side.value.slice(0, 40))} is not an ISO-8601 date or timestamp`, "Write times as '2026-09-01' or '2026-09-01T12:30:00Z'.");
  }
  return { kind: 'const', type: 'timestamp', value: millis };
}
