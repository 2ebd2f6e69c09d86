import { describe, expect, it } from 'vitest';
import { rewriteNamedParams } from '../../helpers/fakes/redshift-named-params.js';

describe('Data API double: :name → $n', () => {
  it('numbers names in order of first use and reuses numbers', () => {
    expect(rewriteNamedParams('SELECT :a, :b, :a')).toEqual({ text: 'SELECT $1, $2, $1', names: ['a', 'b'] });
  });

  it('leaves casts, literals, identifiers, comments and dollar quotes alone', () => {
    const sql = `SELECT x::int, ':a', E'\\':b', "c:d", $$ :e $$, $t$ :f $t$ -- :g\n /* :h /* :i */ :j */ FROM t WHERE y = :k AND z = 'it''s :l'`;
    expect(rewriteNamedParams(sql)).toEqual({ text: sql.replace(':k', '$1'), names: ['k'] });
  });

  it('does not treat digits after a colon or a $ inside identifiers as special', () => {
    expect(rewriteNamedParams('SELECT a[1:2], b$c, :p').names).toEqual(['p']);
  });

  it('copies unterminated quotes and comments through unchanged', () => {
    for (const sql of ["SELECT ':a", 'SELECT "x :a', 'SELECT /* :a', 'SELECT $$ :a']) expect(rewriteNamedParams(sql)).toEqual({ text: sql, names: [] });
  });
});
