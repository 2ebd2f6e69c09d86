import { describe, expect, it } from 'vitest';
import { ExprError, type ExprNode } from '../../../../src/engine/expr/ast.js';
import { tokenize } from '../../../../src/engine/expr/lexer.js';
import { MAX_DEPTH, MAX_EXPRESSION_LENGTH, MAX_NODES, parseExpression } from '../../../../src/engine/expr/parser.js';

/** A compact S-expression of the tree, to assert precedence and associativity. */
function show(node: ExprNode): string {
  switch (node.kind) {
    case 'number':
      return String(node.value);
    case 'string':
      return `'${node.value}'`;
    case 'bool':
      return String(node.value);
    case 'null':
      return 'null';
    case 'column':
      return `$${node.name}`;
    case 'unary':
      return `(${node.op} ${show(node.arg)})`;
    case 'binary':
      return `(${node.op} ${show(node.left)} ${show(node.right)})`;
    case 'is_null':
      return `(${node.negated ? 'notnull' : 'isnull'} ${show(node.arg)})`;
    case 'call':
      return `${node.name}(${node.args.map(show).join(', ')})`;
  }
}

function parseError(text: string): ExprError {
  try {
    parseExpression(text);
  } catch (err) {
    if (err instanceof ExprError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(text.slice(0, 40))} to fail`);
}

describe('lexer', () => {
  it('reads numbers, text with doubled quotes, quoted names and operators', () => {
    const tokens = tokenize(`1.5e3 'it''s' "a ""b""" <> == || .5`);
    expect(tokens.map((t) => [t.type, t.text])).toEqual([
      ['number', '1.5e3'], ['string', "it's"], ['quoted', 'a "b"'], ['op', '!='], ['op', '='], ['op', '||'], ['number', '.5'], ['eof', ''],
    ]);
    expect(tokens[0]!.value).toBe(1500);
  });

  it('accepts Unicode letters in bare names and keeps their positions', () => {
    const tokens = tokenize('größe * 日本 - Ωmega_2');
    expect(tokens.map((t) => t.text)).toEqual(['größe', '*', '日本', '-', 'Ωmega_2', '']);
    expect(tokens.map((t) => t.pos)).toEqual([0, 6, 8, 11, 13, 20]);
    // € is a symbol, not a letter: it cannot be part of a bare name (quote the name instead).
    expect(() => tokenize('prix€')).toThrow(/unexpected character "€"/);
    expect(tokenize('"prix €"').map((t) => t.text)).toEqual(['prix €', '']);
  });

  it('reads names with characters outside the BMP', () => {
    expect(tokenize('𝒳 + 1').map((t) => t.text)).toEqual(['𝒳', '+', '1', '']);
  });

  it.each([
    ["'abc", 0, /unterminated text/],
    ['a + "col', 4, /unterminated column name/],
    ['a ! b', 2, /unexpected character "!"/],
    ['a | b', 2, /unexpected character "\|"/],
    ['2abc', 1, /after the number 2/],
    ['1e999', 0, /out of range/],
    ['""', 0, /empty column name/],
    ['a; drop', 1, /unexpected character ";"/],
    ['a\u0000b', 1, /unexpected character/],
  ])('refuses %j at position %i', (text, pos, problem) => {
    const err = parseError(text);
    expect(err.pos).toBe(pos);
    expect(err.problem).toMatch(problem);
    expect(err.hint.length).toBeGreaterThan(10);
  });
});

describe('parser', () => {
  it.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['a - b - c', '(- (- $a $b) $c)'],
    ['a / b % c', '(% (/ $a $b) $c)'],
    ['-a * b', '(* (- $a) $b)'],
    ['- 5', '-5'],
    ['--5', '5'],
    ["a || 'x' || b + 1", "(|| (|| $a 'x') (+ $b 1))"],
    ['a + 1 > b * 2', '(> (+ $a 1) (* $b 2))'],
    ['a = 1 or b = 2 and c = 3', '(or (= $a 1) (and (= $b 2) (= $c 3)))'],
    ['not a = 1 and b', '(and (not (= $a 1)) $b)'],
    ['NOT NOT x', '(not (not $x))'],
    ['x is null or y IS NOT NULL', '(or (isnull $x) (notnull $y))'],
    ['TRUE and False or NULL', '(or (and true false) null)'],
    ['"order date" >= \'2026-01-01\'', "(>= $order date '2026-01-01')"],
    ['"and" + "__proto__" + constructor', '(+ (+ $and $__proto__) $constructor)'],
    ['LOWER(name)', 'lower($name)'],
    ['coalesce(a, b, 0)', 'coalesce($a, $b, 0)'],
    ['now()', 'now()'],
    ["if(a > 0, 'pos', 'neg')", "if((> $a 0), 'pos', 'neg')"],
    ['a <> b', '(!= $a $b)'],
  ])('%s', (text, tree) => {
    expect(show(parseExpression(text))).toBe(tree);
  });

  it('keeps injection-looking text inside a string literal as plain text', () => {
    expect(show(parseExpression("'''); drop table x; --'"))).toBe("''); drop table x; --'");
    expect(show(parseExpression(`name = 'x"; drop table y; --'`))).toBe(`(= $name 'x"; drop table y; --')`);
    expect(parseError("name = ''); drop table x; --").problem).toMatch(/unexpected character ";"/);
    expect(parseError("'); drop table x; --").problem).toMatch(/unterminated text/);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['a +', /expected a value but found the end/],
    ['(a + 1', /expected \) to close the \( at position 1/],
    ['lower(a b)', /expected \) to close the arguments of lower\(/],
    ['a b', /unexpected "b" after a complete expression/],
    ['a < b < c', /cannot be chained/],
    ['a = b is null', /cannot be chained/],
    ['x is 5', /expected null after "is"/],
    ['and', /keyword "and"/],
    ['f(,)', /expected a value/],
    [',', /expected a value/],
  ])('refuses %j', (text, problem) => {
    const err = parseError(text);
    expect(err.problem).toMatch(problem);
    expect(err.hint.length).toBeGreaterThan(10);
  });

  it(`allows ${MAX_DEPTH} levels of parentheses and refuses one more, without touching the stack`, () => {
    expect(show(parseExpression(`${'('.repeat(MAX_DEPTH - 1)}a${')'.repeat(MAX_DEPTH - 1)}`))).toBe('$a');
    const err = parseError(`${'('.repeat(MAX_DEPTH)}a${')'.repeat(MAX_DEPTH)}`);
    expect(err.problem).toMatch(/deeper than 32 levels/);
  });

  it('refuses hostile nesting of every kind quickly', () => {
    const hostile = [
      '('.repeat(1999),
      `${'lower('.repeat(300)}a${')'.repeat(300)}`.slice(0, 1999),
      `${'not '.repeat(400)}x`,
      `${'-'.repeat(1999)}x`,
      `${'- '.repeat(900)}x`,
    ];
    for (const text of hostile) {
      const started = performance.now();
      expect(parseError(text).problem).toMatch(/deeper than/);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });

  it(`refuses expressions longer than ${MAX_EXPRESSION_LENGTH} characters before reading them`, () => {
    const err = parseError(`'${'x'.repeat(10_000)}'`);
    expect(err.problem).toMatch(/10002 characters long; the limit is 2000/);
    expect(parseError('('.repeat(10_000)).problem).toMatch(/limit is 2000/);
  });

  it(`refuses more than ${MAX_NODES} nodes (long flat chains too)`, () => {
    const chain = (n: number): string => Array.from({ length: n }, (_, i) => `a${i}`).join(' + ');
    expect(() => parseExpression(chain(100))).not.toThrow();
    expect(parseError(chain(150)).problem).toMatch(/more than 200 parts/);
  });

  it('counts positions in UTF-16 units and reports them 0-based', () => {
    const err = parseError('größe + @');
    expect(err.pos).toBe(8);
  });
});

describe('nesting of calls', () => {
  it('counts each argument list as one level', () => {
    const nested = (n: number): string => `${'lower('.repeat(n)}a${')'.repeat(n)}`;
    expect(() => parseExpression(nested(MAX_DEPTH - 1))).not.toThrow();
    expect(() => parseExpression(nested(MAX_DEPTH))).toThrow(/deeper than 32 levels/);
  });
});
