/**
 * Recursive-descent parser for derive expressions. Hostile input is bounded before it can
 * hurt: the text length is checked first, every descent into parentheses, a call or a unary
 * operator counts against MAX_DEPTH (so `((((…` fails at level 33, long before the stack
 * would), and the tree may hold at most MAX_NODES nodes (which also bounds how deep a
 * left-leaning chain like `a + b + c + …` can grow for the recursive checker and evaluator).
 * Each argument list counts as one level, like a pair of parentheses.
 *
 * Precedence, loosest first: or · and · not · comparisons and `is [not] null` (not chainable)
 * · `||` · `+ -` · `* / %` · unary minus · literals, names, calls and parentheses.
 */
import { ExprError, GRAMMAR_HINT, type ArithOp, type CompareOp, type ExprNode } from './ast.js';
import { describeToken, tokenize, type Token } from './lexer.js';

export const MAX_EXPRESSION_LENGTH = 2000;
export const MAX_DEPTH = 32;
export const MAX_NODES = 200;

const COMPARE_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);
const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false', 'null', 'is']);

export function parseExpression(text: string): ExprNode {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExprError(MAX_EXPRESSION_LENGTH, `the expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`, 'Split the work into several derived columns, each a short expression.');
  }
  if (text.trim() === '') throw new ExprError(0, 'the expression is empty', GRAMMAR_HINT);
  return new Parser(tokenize(text)).parseAll();
}

class Parser {
  private i = 0;
  private depth = 0;
  private nodes = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): ExprNode {
    const node = this.expression();
    const rest = this.peek();
    if (rest.type !== 'eof') throw new ExprError(rest.pos, `unexpected ${describeToken(rest)} after a complete expression`, 'Join expressions with an operator (+, ||, and, …) or put function arguments inside the parentheses.');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private keyword(token: Token, word: string): boolean {
    return token.type === 'ident' && token.text.toLowerCase() === word;
  }

  private node<T extends ExprNode>(node: T): T {
    if (++this.nodes > MAX_NODES) throw new ExprError(node.pos, `the expression has more than ${MAX_NODES} parts`, 'Split it into several derived columns (a later one may use an earlier one).');
    return node;
  }

  /** Counts one level of nesting; the matching `leave` runs when the level is parsed. */
  private enter(pos: number): void {
    if (++this.depth > MAX_DEPTH) throw new ExprError(pos, `the expression nests deeper than ${MAX_DEPTH} levels`, 'Remove redundant parentheses or split the expression into several derived columns.');
  }

  private expression(): ExprNode {
    this.enter(this.peek().pos);
    const node = this.or();
    this.depth--;
    return node;
  }

  private or(): ExprNode {
    let left = this.and();
    while (this.keyword(this.peek(), 'or')) {
      const pos = this.next().pos;
      left = this.node({ kind: 'binary', op: 'or', left, right: this.and(), pos });
    }
    return left;
  }

  private and(): ExprNode {
    let left = this.not();
    while (this.keyword(this.peek(), 'and')) {
      const pos = this.next().pos;
      left = this.node({ kind: 'binary', op: 'and', left, right: this.not(), pos });
    }
    return left;
  }

  private not(): ExprNode {
    if (!this.keyword(this.peek(), 'not')) return this.comparison();
    const pos = this.next().pos;
    this.enter(pos);
    const arg = this.not();
    this.depth--;
    return this.node({ kind: 'unary', op: 'not', arg, pos });
  }

  private comparison(): ExprNode {
    const left = this.concat();
    const token = this.peek();
    let node: ExprNode = left;
    if (token.type === 'op' && COMPARE_OPS.has(token.text)) {
      this.next();
      node = this.node({ kind: 'binary', op: token.text as CompareOp, left, right: this.concat(), pos: token.pos });
    } else if (this.keyword(token, 'is')) {
      this.next();
      const negated = this.keyword(this.peek(), 'not');
      if (negated) this.next();
      const target = this.next();
      if (!this.keyword(target, 'null')) throw new ExprError(target.pos, `expected null after "is${negated ? ' not' : ''}", found ${describeToken(target)}`, 'Write "x is null" or "x is not null"; compare values with = or !=.');
      node = this.node({ kind: 'is_null', negated, arg: left, pos: token.pos });
    }
    const after = this.peek();
    if (node !== left && ((after.type === 'op' && COMPARE_OPS.has(after.text)) || this.keyword(after, 'is'))) {
      throw new ExprError(after.pos, 'comparisons cannot be chained', 'Combine comparisons with and: "a < b and b < c".');
    }
    return node;
  }

  private concat(): ExprNode {
    let left = this.additive();
    while (this.peek().type === 'op' && this.peek().text === '||') {
      const pos = this.next().pos;
      left = this.node({ kind: 'binary', op: '||', left, right: this.additive(), pos });
    }
    return left;
  }

  private additive(): ExprNode {
    let left = this.multiplicative();
    for (let t = this.peek(); t.type === 'op' && (t.text === '+' || t.text === '-'); t = this.peek()) {
      this.next();
      left = this.node({ kind: 'binary', op: t.text as ArithOp, left, right: this.multiplicative(), pos: t.pos });
    }
    return left;
  }

  private multiplicative(): ExprNode {
    let left = this.unary();
    for (let t = this.peek(); t.type === 'op' && (t.text === '*' || t.text === '/' || t.text === '%'); t = this.peek()) {
      this.next();
      left = this.node({ kind: 'binary', op: t.text as ArithOp, left, right: this.unary(), pos: t.pos });
    }
    return left;
  }

  private unary(): ExprNode {
    const t = this.peek();
    if (!(t.type === 'op' && t.text === '-')) return this.primary();
    this.next();
    this.enter(t.pos);
    const arg = this.unary();
    this.depth--;
    // A negative literal stays a literal, so `-1` is a number wherever a literal is required.
    if (arg.kind === 'number') return { kind: 'number', value: -arg.value, pos: t.pos };
    return this.node({ kind: 'unary', op: '-', arg, pos: t.pos });
  }

  private primary(): ExprNode {
    const t = this.next();
    switch (t.type) {
      case 'number':
        return this.node({ kind: 'number', value: t.value, pos: t.pos });
      case 'string':
        return this.node({ kind: 'string', value: t.text, pos: t.pos });
      case 'quoted':
        return this.node({ kind: 'column', name: t.text, pos: t.pos });
      case '(': {
        const inner = this.expression();
        this.expect(')', `to close the ( at position ${t.pos + 1}`);
        return inner;
      }
      case 'ident':
        return this.identifier(t);
      default:
        throw new ExprError(t.pos, `expected a value but found ${describeToken(t)}`, GRAMMAR_HINT);
    }
  }

  private identifier(t: Token): ExprNode {
    const word = t.text.toLowerCase();
    if (this.peek().type === '(') return this.call(t);
    if (word === 'true' || word === 'false') return this.node({ kind: 'bool', value: word === 'true', pos: t.pos });
    if (word === 'null') return this.node({ kind: 'null', pos: t.pos });
    if (KEYWORDS.has(word)) throw new ExprError(t.pos, `expected a value but found the keyword "${t.text}"`, `To use a column named ${t.text}, write it in double quotes: "${t.text}".`);
    return this.node({ kind: 'column', name: t.text, pos: t.pos });
  }

  private call(name: Token): ExprNode {
    const open = this.next();
    const args: ExprNode[] = [];
    if (this.peek().type !== ')') {
      args.push(this.expression());
      while (this.peek().type === ',') {
        this.next();
        args.push(this.expression());
      }
    }
    this.expect(')', `to close the arguments of ${name.text}( at position ${open.pos + 1}`);
    return this.node({ kind: 'call', name: name.text.toLowerCase(), args, pos: name.pos });
  }

  private expect(type: Token['type'], why: string): void {
    const t = this.next();
    if (t.type !== type) throw new ExprError(t.pos, `expected ${type} ${why}, found ${describeToken(t)}`, 'Check that every ( has a matching ) and that function arguments are separated by commas.');
  }
}
