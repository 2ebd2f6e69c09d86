import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { keyAttributeValue, numberFromText, plainValue, toAttributeValue } from '../../../src/connectors/dynamodb/attribute-values.js';
import { itemsToTable, planColumn } from '../../../src/connectors/dynamodb/items-to-arrow.js';
import { describeShape, tableShapeOf } from '../../../src/connectors/dynamodb/table-shape.js';
import { typeName } from '../../../src/formats/columns.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { columnValues } from '../../helpers/arrow-values.js';

const n = (text: string): AttributeValue => ({ N: text });

describe('dynamodb type mapping', () => {
  it('plans N columns as int32, int64, float64 or exact text', () => {
    expect(planColumn([n('1'), n('-2147483648'), undefined, { NULL: true }])).toBe('int32');
    expect(planColumn([n('1'), n('9223372036854775807')])).toBe('int64');
    expect(planColumn([n('1'), n('9223372036854775808')])).toBe('text');
    expect(planColumn([n('1'), n('0.5')])).toBe('float64');
    expect(planColumn([n('0.1234567890123456789')])).toBe('text');
    expect(planColumn([{ BOOL: true }, undefined])).toBe('bool');
    expect(planColumn([{ BOOL: true }, n('1')])).toBe('text');
    expect(planColumn([n('1'), { BOOL: true }])).toBe('text');
    expect(planColumn([{ S: 'a' }])).toBe('text');
    expect(planColumn([undefined, { NULL: true }])).toBe('null');
    expect(planColumn([{ SS: ['a'] }])).toBe('text');
  });

  it('builds tables: leading names first, the rest sorted, mixed types as text', () => {
    const table = itemsToTable(
      [
        { z: { S: 'z' }, pk: { S: 'a' }, mixed: n('5'), set: { NS: ['1', '2.5'] }, bin: { B: new Uint8Array([255]) } },
        { pk: { S: 'b' }, mixed: { BOOL: true }, list: { L: [{ S: 'x' }, { NULL: true }, { M: { k: n('1') } }] } },
      ],
      ['pk', 'missing'],
    );
    expect(table.schema.fields.map((f) => f.name)).toEqual(['pk', 'missing', 'bin', 'list', 'mixed', 'set', 'z']);
    expect(typeName(table.schema.fields[1]!.type)).toBe('null');
    expect(columnValues(table, 'mixed')).toEqual(['5', 'true']);
    expect(columnValues(table, 'set')).toEqual(['[1,2.5]', null]);
    expect(columnValues(table, 'list')).toEqual([null, '["x",null,{"k":1}]']);
    expect(columnValues(table, 'bin')).toEqual(['/w==', null]);
    expect(itemsToTable([], ['pk']).numRows).toBe(0);
  });

  it('treats __proto__ and constructor as ordinary attribute names', () => {
    const item = JSON.parse('{"pk":{"S":"a"},"__proto__":{"S":"p"},"constructor":{"M":{"__proto__":{"S":"q"}}}}') as Record<string, AttributeValue>;
    const table = itemsToTable([item, { pk: { S: 'b' } }], ['__proto__']);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['__proto__', 'constructor', 'pk']);
    expect(columnValues(table, '__proto__')).toEqual(['p', null]);
    expect(columnValues(table, 'constructor')).toEqual(['{"__proto__":"q"}', null]);
    const marshalled = toAttributeValue(JSON.parse('{"__proto__":{"a":1}}'), 'item');
    expect(Object.keys(marshalled.M ?? {})).toEqual(['__proto__']);
  });

  it('marshals JS values, refusing what DynamoDB cannot store', () => {
    expect(toAttributeValue({ s: 'x', n: 1.5, b: true, z: null, big: 12n, d: new Date(0), l: [1], skip: undefined }, 'item')).toEqual({
      M: { s: { S: 'x' }, n: { N: '1.5' }, b: { BOOL: true }, z: { NULL: true }, big: { N: '12' }, d: { S: '1970-01-01T00:00:00.000Z' }, l: { L: [{ N: '1' }] } },
    });
    for (const bad of [Number.NaN, Infinity, () => 1, new Map(), Symbol('x')]) expect(() => toAttributeValue(bad, 'v')).toThrow(DataMcpError);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => toAttributeValue(deep, 'v')).toThrow(/nested deeper/);
  });

  it('types key values by the declared attribute type', () => {
    expect(keyAttributeValue('42', 'k', 'N')).toEqual({ N: '42' });
    expect(keyAttributeValue(42, 'k', undefined)).toEqual({ N: '42' });
    expect(keyAttributeValue('AQI=', 'k', 'B')).toEqual({ B: Buffer.from([1, 2]) });
    for (const [value, type] of [['4 2', 'N'], [4, 'S'], [true, undefined], [null, 'S'], ['1; DROP', 'N']] as const) {
      expect(() => keyAttributeValue(value, 'k', type)).toThrow(DataMcpError);
    }
  });

  it('never rounds numbers silently', () => {
    expect(numberFromText('9007199254740991')).toBe(9007199254740991);
    expect(numberFromText('9007199254740993')).toBe('9007199254740993');
    expect(numberFromText('0.000125')).toBe(0.000125);
    expect(numberFromText('3.14159265358979323846')).toBe('3.14159265358979323846');
    expect(plainValue({ NS: ['1', '99999999999999999999'] })).toEqual([1, '99999999999999999999']);
  });

  it('describes a table from DescribeTable output', () => {
    const shape = tableShapeOf('t1x', {
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'pk', AttributeType: 'B' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      ItemCount: 12,
    });
    const d = describeShape('t1x', shape);
    expect(d).toMatchObject({ rowCount: 12, rowCountExact: false, keys: [{ name: 'pk', role: 'partition' }] });
    expect(d.columns).toEqual([{ name: 'pk', type: 'binary', nullable: false }, { name: 'g', type: 'string', nullable: true }]);
    expect(d.comment).toContain('global secondary index "byG" (keys: g; projection KEYS_ONLY)');
  });
});
