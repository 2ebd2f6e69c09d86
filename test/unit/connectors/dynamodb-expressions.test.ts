import { describe, expect, it } from 'vitest';
import { filterExpression } from '../../../src/connectors/dynamodb/filter-expression.js';
import { Placeholders } from '../../../src/connectors/dynamodb/placeholders.js';
import { buildRead } from '../../../src/connectors/dynamodb/read-request.js';
import type { TableShape } from '../../../src/connectors/dynamodb/table-shape.js';
import type { DynamoRequest } from '../../../src/connectors/types.js';
import { DataMcpError } from '../../../src/results/errors.js';

const shape: TableShape = {
  table: 'orders',
  keys: { partition: 'pk', sort: 'sk' },
  attributeTypes: new Map([['pk', 'S'], ['sk', 'N'], ['gpk', 'S']]),
  indexes: new Map([['byG', { kind: 'global', keys: { partition: 'gpk' }, projection: 'ALL' }]]),
};

/** Only placeholders, operators, parentheses, functions and keywords may appear in an expression. */
const SYNTAX_ONLY = /^(?:[#:][nv][0-9a-z]+|AND|OR|NOT|IN|BETWEEN|attribute_exists|attribute_not_exists|attribute_type|begins_with|contains|[=<>(),]|<=|>=|<>|\s)+$/;

const HOSTILE = ['a) OR (b', '#n0', ':v0', ' OR attribute_exists(pk)', 'x.y[0]', '"quoted"', '\u0000nul', 'size(pk)', '😀'];

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (error) {
    return error instanceof DataMcpError ? error.code : 'NOT_A_DATA_MCP_ERROR';
  }
}

describe('dynamodb expressions: placeholders only', () => {
  it('gives one placeholder per distinct name and per value, and omits empty maps', () => {
    const p = new Placeholders();
    expect(p.requestFields()).toEqual({});
    expect(p.name('a')).toBe('#n0');
    expect(p.name('b')).toBe('#n1');
    expect(p.name('a')).toBe('#n0');
    expect(p.value({ S: 'x' })).toBe(':v0');
    expect(p.value({ S: 'x' })).toBe(':v1');
    const fields = p.requestFields();
    expect({ ...fields.ExpressionAttributeNames }).toEqual({ '#n0': 'a', '#n1': 'b' });
    expect({ ...fields.ExpressionAttributeValues }).toEqual({ ':v0': { S: 'x' }, ':v1': { S: 'x' } });
  });

  it.each(HOSTILE)('hostile text %j never reaches expression syntax', (text) => {
    const built = buildRead(
      { operation: 'query', table: 'orders', partition: { name: 'pk', value: text }, sort: { name: 'sk', op: 'between', value: 1, value2: 2 }, projection: [text, 'pk'], filter: { or: [{ column: text, op: 'eq', value: text }, { not: { column: text, op: 'in', value: [text, 1] } }] } },
      'orders',
      shape,
    );
    if (built.operation !== 'Query') throw new Error('expected a Query');
    const { KeyConditionExpression, FilterExpression, ProjectionExpression, ExpressionAttributeNames, ExpressionAttributeValues } = built.input;
    for (const expression of [KeyConditionExpression, FilterExpression, ProjectionExpression]) expect(expression).toMatch(SYNTAX_ONLY);
    expect(Object.values(ExpressionAttributeNames ?? {})).toContain(text);
    expect(Object.values(ExpressionAttributeValues ?? {})).toContainEqual({ S: text });
  });

  it('builds key conditions for every sort operator', () => {
    const cases: Array<[NonNullable<DynamoRequest['sort']>, string]> = [
      [{ name: 'sk', op: 'eq', value: 1 }, '#n0 = :v0 AND #n1 = :v1'],
      [{ name: 'sk', op: 'lt', value: 1 }, '#n0 = :v0 AND #n1 < :v1'],
      [{ name: 'sk', op: 'lte', value: 1 }, '#n0 = :v0 AND #n1 <= :v1'],
      [{ name: 'sk', op: 'gt', value: 1 }, '#n0 = :v0 AND #n1 > :v1'],
      [{ name: 'sk', op: 'gte', value: '12345678901234567890' }, '#n0 = :v0 AND #n1 >= :v1'],
      [{ name: 'sk', op: 'between', value: 1, value2: 9 }, '#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2'],
    ];
    for (const [sort, expected] of cases) {
      const built = buildRead({ operation: 'query', table: 'orders', partition: { name: 'pk', value: 'p' }, sort }, 'orders', shape);
      expect(built.operation === 'Query' && built.input.KeyConditionExpression).toBe(expected);
    }
    const big = buildRead({ operation: 'query', table: 'orders', partition: { name: 'pk', value: 'p' }, sort: { name: 'sk', op: 'eq', value: '12345678901234567890' } }, 'orders', shape);
    expect(big.operation === 'Query' && big.input.ExpressionAttributeValues?.[':v1']).toEqual({ N: '12345678901234567890' });
    const text = buildRead({ operation: 'query', table: 'orders', partition: { name: 'pk', value: 'p' }, sort: { name: 'sk', op: 'begins_with', value: 'x' } }, 'orders', undefined);
    expect(text.operation === 'Query' && text.input.KeyConditionExpression).toBe('#n0 = :v0 AND begins_with(#n1, :v1)');
  });

  it('refuses requests that do not fit the operation or the key schema', () => {
    const bad: DynamoRequest[] = [
      { operation: 'get', table: 'orders', key: { pk: 'p' } },
      { operation: 'get', table: 'orders', key: { pk: 'p', sk: 1 }, index: 'byG' },
      { operation: 'get', table: 'orders' },
      { operation: 'query', table: 'orders', partition: { name: 'sk', value: 1 } },
      { operation: 'query', table: 'orders', partition: { name: 'pk', value: true } },
      { operation: 'query', table: 'orders', partition: { name: 'pk', value: null } },
      { operation: 'query', table: 'orders', partition: { name: 'pk', value: 'p' }, sort: { name: 'sk', op: 'eq', value: 'NaN-ish' } },
      { operation: 'query', table: 'orders', index: 'byG', partition: { name: 'gpk', value: 'g' }, sort: { name: 'sk', op: 'eq', value: 1 } },
      { operation: 'query', table: 'orders', index: 'no such', partition: { name: 'pk', value: 'p' } },
      { operation: 'scan', table: 'orders', partition: { name: 'pk', value: 'p' } },
      { operation: 'drop' as 'scan', table: 'orders' },
    ];
    for (const request of bad) expect(codeOf(() => buildRead(request, 'orders', shape)), JSON.stringify(request)).toBe('INVALID_ARGUMENT');
  });

  it('translates filters with three-valued logic', () => {
    const f = (filter: unknown) => {
      const p = new Placeholders();
      return filterExpression(filter, p);
    };
    expect(f({ column: 'a', op: 'eq', value: 1 })).toBe('#n0 = :v0');
    expect(f({ column: 'a', op: 'ne', value: 1 })).toBe('((attribute_exists(#n0) AND NOT attribute_type(#n0, :v1)) AND NOT #n0 = :v0)');
    expect(f({ not: { column: 'a', op: 'ne', value: 1 } })).toBe('#n0 = :v0');
    expect(f({ column: 'a', op: 'is_null' })).toBe('(attribute_not_exists(#n0) OR attribute_type(#n0, :v0))');
    expect(f({ not: { and: [{ column: 'a', op: 'gt', value: 1 }, { column: 'b', op: 'starts_with', value: 'x' }] } })).toBe(
      '(((attribute_exists(#n0) AND NOT attribute_type(#n0, :v1)) AND NOT #n0 > :v0) OR ((attribute_exists(#n1) AND NOT attribute_type(#n1, :v1)) AND NOT begins_with(#n1, :v2)))',
    );
    const many = f({ column: 'a', op: 'in', value: Array.from({ length: 201 }, (_, i) => i) });
    expect(many.match(/ IN \(/g)).toHaveLength(3);
  });

  it('refuses filters DynamoDB cannot run, and expressions over 4 KB', () => {
    const p = () => new Placeholders();
    expect(codeOf(() => filterExpression({ column: 'a', op: 'ends_with', value: 'x' }, p()))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => filterExpression({ column: 'a', op: 'gte', value: false }, p()))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => filterExpression({ column: '', op: 'eq', value: 1 }, p()))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => filterExpression({ column: 'a', op: 'in', value: Array.from({ length: 1000 }, (_, i) => i) }, p()))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => filterExpression(null, p()))).toBe('INVALID_ARGUMENT');
  });
});
