import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { compileExpression, ExprError, exprErrorToInvalid, FUNCTION_SIGNATURES } from '../../../../src/engine/expr/index.js';
import { sales } from '../ops/step-harness.js';

const schema = sales().schema;

function checkError(text: string, fields: readonly arrow.Field[] = schema.fields): ExprError {
  try {
    compileExpression(text, fields);
  } catch (err) {
    if (err instanceof ExprError) return err;
    throw err;
  }
  throw new Error(`expected ${text} to fail type-checking`);
}

describe('type-checking at plan time', () => {
  it.each<[string, number, RegExp, RegExp]>([
    ['pricee * 2', 0, /unknown column "pricee"/, /Available columns: "id", "price", "name", "ok", "at"/],
    ['price * Price', 8, /unknown column "Price"/, /case-sensitive/],
    ['name + 1', 0, /expected a number here but found text \(column "name"\)/, /join text with \|\|/],
    ['1 - ok', 4, /expected a number here but found a bool/, /works on numbers/],
    ['upper(price)', 6, /expected text here but found a number/, /upper works on text/],
    ['sqrt(price)', 0, /unknown function "sqrt"/, /lower\(text\).*if\(condition, then, else\)/],
    ['lower(name, 1)', 0, /lower takes 1 argument, not 2/, /lower\(text\)/],
    ['coalesce()', 0, /coalesce takes at least 1 argument/, /coalesce\(a, b, …\)/],
    ['substr(name, id)', 13, /argument 2 of substr must be a whole-number literal from 1/, /substr\(text, start/],
    ['substr(name, 0, 2)', 13, /from 1 to/, /substr/],
    ['substr(name, 1, -1)', 16, /argument 3 of substr/, /substr/],
    ['round(price, 1.5)', 13, /argument 2 of round/, /round\(x\[, digits\]\)/],
    ["date_trunc('decade', at)", 11, /unit in single quotes/, /'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'/],
    ['date_trunc(day, at)', 11, /unit in single quotes/, /'day'/],
    ['year(name)', 5, /expected a timestamp or date/, /cast text columns to timestamp/],
    ['if(price, 1, 0)', 3, /expected a condition \(bool\)/, /picks then where the condition is true/],
    ["if(ok, 1, 'one')", 10, /if mixes a number with text/, /must have one type/],
    ['coalesce(name, 1)', 15, /coalesce mixes text with a number/, /must have one type/],
    ['name < 1', 5, /cannot compare text with a number/, /Compare numbers with numbers/],
    ['ok = 1', 3, /cannot compare a bool with a number/, /bools with bools/],
    ["at > 'yesterday'", 3, /"yesterday" is not an ISO-8601 date or timestamp/, /'2026-09-01'/],
    ['not price', 4, /expected a bool/, /not negates a condition/],
    ['price and ok', 0, /expected a bool here but found a number/, /and combines conditions/],
    ["-name", 1, /expected a number/, /unary minus/],
    ['constructor(price)', 0, /unknown function "constructor"/, /Functions:/],
    ['toString(price)', 0, /unknown function "tostring"/, /Functions:/],
    ['__proto__ + 1', 0, /unknown column "__proto__"/, /Available columns/],
    ['"constructor" * 2', 0, /unknown column "constructor"/, /Available columns/],
  ])('%s → position %i', (text, pos, problem, hint) => {
    const err = checkError(text);
    expect(err.problem).toMatch(problem);
    expect(err.pos).toBe(pos);
    expect(err.hint).toMatch(hint);
  });

  it('reads columns named like Object.prototype members, and only those that exist', () => {
    const fields = [new arrow.Field('__proto__', new arrow.Float64()), new arrow.Field('constructor', new arrow.Utf8()), new arrow.Field('hasOwnProperty', new arrow.Int32())];
    expect(compileExpression('"__proto__" * 2 + hasOwnProperty', fields).type.toString()).toBe('Float64');
    expect(compileExpression("upper(constructor) || 'x'", fields).type.toString()).toMatch(/Dictionary/);
    expect(checkError('toString', fields).problem).toMatch(/unknown column "toString"/);
  });

  it('refuses columns of types expressions cannot read, but copies them when named bare', () => {
    const list = new arrow.Field('tags', new arrow.List(new arrow.Field('item', new arrow.Utf8())));
    const err = checkError('length(tags)', [list]);
    expect(err.problem).toMatch(/column "tags" has type .*which expressions cannot read/);
    expect(compileExpression('tags', [list]).type).toBe(list.type);
  });

  it('lists every function in the unknown-function hint', () => {
    const err = checkError('nope(1)');
    for (const signature of FUNCTION_SIGNATURES) expect(err.hint).toContain(signature);
  });
});

describe('errors the agent sees', () => {
  it('names the column, the 1-based position and the expression, and keeps the hint', () => {
    const err = exprErrorToInvalid(checkError('price * pricee'), 'derive "total"', 'price * pricee');
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toBe('derive "total": unknown column "pricee" at position 9 of "price * pricee".');
    expect(err.hint).toMatch(/Available columns/);
  });

  it('shows a window of a long expression around the problem, not all of it', () => {
    const text = `${'price + '.repeat(60)}nope`;
    const err = exprErrorToInvalid(checkError(text), 'derive "x"', text);
    expect(err.message).toMatch(/unknown column "nope" at position 481 of …"[^"]{50,}nope" \(484 characters\)\.$/);
    expect(err.message.length).toBeLessThan(200);
  });
});
