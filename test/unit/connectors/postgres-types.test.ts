import { DataType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { pageToTable, planColumns } from '../../../src/connectors/postgres/arrow-page.js';
import { parsePgArray } from '../../../src/connectors/postgres/pg-array.js';
import { arrayToJson, byteaToBase64, kindOf, OID, readableType } from '../../../src/connectors/postgres/type-map.js';

const numericTypmod = (precision: number, scale: number) => ((precision << 16) | (scale & 0x7ff)) + 4;

describe('postgres array literals', () => {
  it('parses flat, quoted, escaped, NULL and nested arrays', () => {
    expect(parsePgArray('{}')).toEqual([]);
    expect(parsePgArray('{1,2,3}')).toEqual(['1', '2', '3']);
    expect(parsePgArray('{"a b","c\\"d","e\\\\f",NULL,"NULL",null}')).toEqual(['a b', 'c"d', 'e\\f', null, 'NULL', null]);
    expect(parsePgArray('{{1,2},{3,4}}')).toEqual([['1', '2'], ['3', '4']]);
    expect(parsePgArray('[0:1]={7,8}')).toEqual(['7', '8']);
    expect(parsePgArray('{"{not nested}",","}')).toEqual(['{not nested}', ',']);
  });

  it('refuses malformed literals', () => {
    for (const bad of ['', '1,2', '{1,2', '{"open}', '{1}x', '{1,{2}']) expect(() => parsePgArray(bad)).toThrow(SyntaxError);
  });

  it('renders arrays as JSON by element type; unparsable text is kept as sent', () => {
    expect(arrayToJson('{1,NULL,-3}', OID.int4)).toBe('[1,null,-3]');
    expect(arrayToJson('{1.5,NaN,Infinity}', OID.float8)).toBe('[1.5,"NaN","Infinity"]');
    expect(arrayToJson('{9007199254740993}', OID.int8)).toBe('["9007199254740993"]');
    expect(arrayToJson('{t,f,NULL}', OID.bool)).toBe('[true,false,null]');
    expect(arrayToJson('{"{\\"a\\": 1}"}', OID.jsonb)).toBe('[{"a":1}]');
    expect(arrayToJson('{"\\\\x0aff"}', OID.bytea)).toBe('["Cv8="]');
    expect(arrayToJson('{unterminated', OID.text)).toBe('{unterminated');
  });
});

describe('postgres type map', () => {
  it('decides the Arrow kind from the type OID and modifier, never the values', () => {
    expect(kindOf(OID.int2, -1)).toBe('int32');
    expect(kindOf(OID.int4, -1)).toBe('int32');
    expect(kindOf(OID.int8, -1)).toBe('int64');
    expect(kindOf(OID.float4, -1)).toBe('float64');
    expect(kindOf(OID.oid, -1)).toBe('float64');
    expect(kindOf(OID.numeric, numericTypmod(15, 2))).toBe('float64');
    expect(kindOf(OID.numeric, numericTypmod(16, 2))).toBe('string');
    expect(kindOf(OID.numeric, -1)).toBe('string');
    expect(kindOf(OID.timestamptz, -1)).toBe('timestamp');
    expect(kindOf(OID.date, -1)).toBe('timestamp');
    expect(kindOf(OID.uuid, -1)).toBe('string');
    expect(kindOf(99999, -1)).toBe('string');
  });

  it('names types readably for describe, keeping PostgreSQL names for the rest', () => {
    expect(readableType(OID.numeric, numericTypmod(10, 2), 'numeric(10,2)')).toBe('decimal(10,2)');
    expect(readableType(OID.numeric, numericTypmod(5, -2), 'numeric(5,-2)')).toBe('decimal(5,-2)');
    expect(readableType(OID.numeric, -1, 'numeric')).toBe('decimal');
    expect(readableType(1007, -1, 'integer[]')).toBe('array<int32>');
    expect(readableType(OID.jsonb, -1, 'jsonb')).toBe('json');
    expect(readableType(12345, -1, 'mood')).toBe('mood');
    expect(readableType(OID.bytea, -1, 'bytea')).toBe('binary');
  });

  it('bytea hex output becomes base64', () => {
    expect(byteaToBase64('\\x')).toBe('');
    expect(byteaToBase64('\\x00ff10')).toBe('AP8Q');
  });
});

describe('postgres rows → Arrow', () => {
  const field = (name: string, dataTypeID: number, dataTypeModifier = -1) => ({ name, dataTypeID, dataTypeModifier });

  it('suffixes duplicate column names', () => {
    const plans = planColumns([field('a', OID.int4), field('a', OID.int4), field('a_2', OID.int4), field('?column?', OID.text), field('?column?', OID.text)]);
    expect(plans.map((p) => p.name)).toEqual(['a', 'a_2', 'a_2_2', '?column?', '?column?_2']);
  });

  it('builds typed columns from text rows, nulls and edge values included', () => {
    const plans = planColumns([field('i', OID.int4), field('b', OID.int8), field('f', OID.float8), field('t', OID.bool), field('ts', OID.timestamptz), field('s', OID.text)]);
    const table = pageToTable(plans, [
      ['2147483647', '-9223372036854775808', 'NaN', 't', '2024-01-02 03:04:05.5+00', ''],
      [null, null, null, null, null, null],
      ['-1', '9223372036854775807', '-Infinity', 'f', 'infinity', 'ü'],
    ]);
    expect(table.numRows).toBe(3);
    expect(DataType.isInt(table.schema.fields[1]!.type)).toBe(true);
    const col = (n: string) => [0, 1, 2].map((i) => table.getChild(n)!.get(i) as unknown);
    expect(col('i')).toEqual([2147483647, null, -1]);
    expect(col('b')).toEqual([-9223372036854775808n, null, 9223372036854775807n]);
    expect(col('f')).toEqual([null, null, -Infinity]);
    expect(col('t')).toEqual([true, null, false]);
    expect(col('ts')).toEqual([Date.UTC(2024, 0, 2, 3, 4, 5, 500), null, null]);
    expect(col('s')).toEqual(['', null, 'ü']);
  });

  it('an empty result with no columns is an empty table', () => {
    const table = pageToTable([], []);
    expect(table.numRows).toBe(0);
    expect(table.numCols).toBe(0);
  });
});
