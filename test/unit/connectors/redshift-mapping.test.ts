import { describe, expect, it } from 'vitest';
import { redshiftColumnType } from '../../../src/connectors/redshift/column-types.js';
import { redshiftError, statementFailed } from '../../../src/connectors/redshift/errors.js';
import { decodeCursor, encodeCursor, locateRelation } from '../../../src/connectors/redshift/paths.js';
import { recordsToTable, resultColumns } from '../../../src/connectors/redshift/records.js';
import { sqlParameters } from '../../../src/connectors/redshift/target.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { registerSecret } from '../../../src/results/scrub.js';
import { columnValues } from '../../helpers/arrow-values.js';

const live = new AbortController().signal;

describe('redshift type mapping', () => {
  it('maps upstream type names to Arrow kinds and readable types', () => {
    expect(redshiftColumnType('int4')).toEqual({ kind: 'int32', readable: 'int' });
    expect(redshiftColumnType('INT2')).toEqual({ kind: 'int32', readable: 'int' });
    expect(redshiftColumnType('int8')).toEqual({ kind: 'int64', readable: 'int64' });
    expect(redshiftColumnType('float4').kind).toBe('float64');
    expect(redshiftColumnType('bool')).toEqual({ kind: 'bool', readable: 'bool' });
    expect(redshiftColumnType('character varying(256)')).toEqual({ kind: 'string', readable: 'string' });
    expect(redshiftColumnType('bpchar').kind).toBe('string');
    expect(redshiftColumnType('date')).toEqual({ kind: 'timestamp', readable: 'date' });
    expect(redshiftColumnType('timestamptz')).toEqual({ kind: 'timestamp', readable: 'timestamp' });
    expect(redshiftColumnType('super')).toEqual({ kind: 'string', readable: 'json' });
    expect(redshiftColumnType('geometry')).toEqual({ kind: 'string', readable: 'geometry' });
    expect(redshiftColumnType(undefined)).toEqual({ kind: 'string', readable: 'string' });
  });

  it('keeps wide or unknown-precision decimals exact as strings', () => {
    expect(redshiftColumnType('numeric', 10)).toEqual({ kind: 'float64', readable: 'decimal' });
    expect(redshiftColumnType('numeric', 15).kind).toBe('float64');
    expect(redshiftColumnType('numeric', 16).kind).toBe('string');
    expect(redshiftColumnType('numeric', 38).kind).toBe('string');
    expect(redshiftColumnType('numeric').kind).toBe('string');
  });

  it('names columns from labels and makes duplicates unique', () => {
    const cols = resultColumns([{ name: 'count', typeName: 'int8' }, { name: 'count', typeName: 'int8' }, { label: 'x', name: 'y', typeName: 'text' }, {}, { name: 'count_2' }]);
    expect(cols.map((c) => c.name)).toEqual(['count', 'count_2', 'x', 'column_4', 'count_2_2']);
  });
});

describe('redshift records to Arrow', () => {
  const cols = resultColumns([
    { name: 'i', typeName: 'int4' },
    { name: 'b', typeName: 'int8' },
    { name: 'f', typeName: 'float8' },
    { name: 'n', typeName: 'numeric', precision: 10 },
    { name: 'w', typeName: 'numeric', precision: 38 },
    { name: 'ok', typeName: 'bool' },
    { name: 's', typeName: 'varchar' },
    { name: 't', typeName: 'timestamptz' },
  ]);

  it('reads each Field member and nulls', () => {
    const table = recordsToTable(cols, [
      [{ longValue: 1 }, { longValue: 2 ** 53 - 1 }, { doubleValue: 0.5 }, { stringValue: '12.25' }, { stringValue: '123456789012345678901234.5' }, { booleanValue: true }, { stringValue: 'a' }, { stringValue: '2026-03-04 05:06:07.5+00' }],
      [{ isNull: true }, { isNull: true }, { isNull: true }, { isNull: true }, { isNull: true }, { isNull: true }, { isNull: true }, { isNull: true }],
      [{ longValue: -3 }, { longValue: -1 }, { longValue: 2 }, { stringValue: 'NaN' }, { stringValue: '0' }, { booleanValue: false }, { longValue: 7 }, { stringValue: '2026-03-04 05:06:07' }],
    ]);
    expect(columnValues(table, 'i')).toEqual([1, null, -3]);
    expect(columnValues(table, 'b')).toEqual([2n ** 53n - 1n, null, -1n]);
    expect(columnValues(table, 'f')).toEqual([0.5, null, 2]);
    expect(columnValues(table, 'n')).toEqual([12.25, null, null]);
    expect(columnValues(table, 'w')).toEqual(['123456789012345678901234.5', null, '0']);
    expect(columnValues(table, 'ok')).toEqual([true, null, false]);
    expect(columnValues(table, 's')).toEqual(['a', null, '7']);
    expect(columnValues(table, 't')).toEqual([Date.UTC(2026, 2, 4, 5, 6, 7, 500), null, Date.UTC(2026, 2, 4, 5, 6, 7)]);
  });

  it('falls back to strings for timestamps that do not parse instead of dropping them', () => {
    const table = recordsToTable(resultColumns([{ name: 't', typeName: 'timestamp' }]), [[{ stringValue: 'infinity' }], [{ stringValue: '2026-01-01 00:00:00' }]]);
    expect(columnValues(table, 't')).toEqual(['infinity', '2026-01-01 00:00:00']);
  });

  it('builds an empty page with its columns', () => {
    const table = recordsToTable(cols, []);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['i', 'b', 'f', 'n', 'w', 'ok', 's', 't']);
  });
});

describe('redshift parameters', () => {
  it('sends every value as a non-empty string', () => {
    expect(sqlParameters({ a: 1, b: 'x', c: false, d: 1.5 }, undefined)).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: 'x' },
      { name: 'c', value: 'false' },
      { name: 'd', value: '1.5' },
    ]);
    expect(sqlParameters({}, [])).toBeUndefined();
  });

  it('refuses what the Data API cannot take', () => {
    for (const [params, positional] of [[{ a: null }, undefined], [{ a: '' }, undefined], [{ a: Number.NaN }, undefined], [{ 'a-b': 1 }, undefined], [{ '': 1 }, undefined], [{}, [1]]] as const) {
      expect(() => sqlParameters(params, positional as never)).toThrow(DataMcpError);
    }
  });
});

describe('redshift errors', () => {
  it('maps statement failures by what went wrong', () => {
    expect(statementFailed('ERROR: relation "s.t" does not exist', 'w', 'id').code).toBe('NOT_FOUND');
    expect(statementFailed('ERROR: permission denied for relation t', 'w', 'id').code).toBe('UPSTREAM_ERROR');
    expect(statementFailed('ERROR: database "nope" does not exist', 'w', 'id').code).toBe('UPSTREAM_ERROR');
    expect(statementFailed('ERROR: syntax error at or near "SELEC"', 'w', 'id').code).toBe('INVALID_ARGUMENT');
    expect(statementFailed(undefined, 'w', 'id').code).toBe('INVALID_ARGUMENT');
  });

  it('scrubs registered secrets and key shapes from engine messages', () => {
    registerSecret('unit-redshift-secret-123');
    const e = statementFailed('ERROR: bad value unit-redshift-secret-123 near AKIAIOSFODNN7EXAMPLE', 'w', 'id');
    expect(e.message).not.toContain('unit-redshift-secret-123');
    expect(e.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('maps SDK errors to stable codes', () => {
    const ctx = { connector: 'w', operation: 'ExecuteStatement', subject: 'the query', signal: live };
    const sdk = (name: string, status = 400) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status, requestId: 'r-1' } });
    expect(redshiftError(sdk('ValidationException'), ctx).code).toBe('INVALID_ARGUMENT');
    expect(redshiftError(sdk('ResourceNotFoundException'), ctx).code).toBe('NOT_FOUND');
    expect(redshiftError(sdk('AccessDeniedException'), ctx).code).toBe('UPSTREAM_ERROR');
    expect(redshiftError(sdk('ActiveStatementsExceededException'), ctx).code).toBe('UNAVAILABLE');
    expect(redshiftError(sdk('InternalServerException', 500), ctx).code).toBe('UNAVAILABLE');
    expect(redshiftError(sdk('QueryTimeoutException'), ctx).code).toBe('TIMEOUT');
    expect(redshiftError(sdk('SomethingElse'), ctx).detail).toMatchObject({ requestId: 'r-1', upstreamCode: 'SomethingElse' });
    const cancelled = new AbortController();
    cancelled.abort();
    expect(redshiftError(new Error('aborted'), { ...ctx, signal: cancelled.signal }).code).toBe('CANCELLED');
    expect(redshiftError(new Error('x'), { ...ctx, signal: AbortSignal.abort(new DOMException('late', 'TimeoutError')) }).code).toBe('TIMEOUT');
  });
});

describe('redshift paths and cursors', () => {
  it('splits paths and applies the allowlist', () => {
    expect(locateRelation('', undefined, 'w')).toEqual({});
    expect(locateRelation('sales/', undefined, 'w')).toEqual({ schema: 'sales' });
    expect(locateRelation('sales', undefined, 'w')).toEqual({ schema: 'sales' });
    expect(locateRelation('sales/orders', ['sales'], 'w')).toEqual({ schema: 'sales', table: 'orders' });
    expect(() => locateRelation('hr/people', ['sales'], 'w')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => locateRelation('pg_catalog/pg_user', undefined, 'w')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(locateRelation('pg_catalog/', ['pg_catalog'], 'w')).toEqual({ schema: 'pg_catalog' });
    expect(() => locateRelation('a/b/c', undefined, 'w')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('binds cursors to the listed path', () => {
    const c = encodeCursor('sales/', 'tok');
    expect(decodeCursor(c, 'sales/')).toBe('tok');
    expect(decodeCursor(undefined, 'sales/')).toBeUndefined();
    expect(() => decodeCursor(c, 'hr/')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => decodeCursor('%%%', '')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => decodeCursor(encodeCursor('', ''), '')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
