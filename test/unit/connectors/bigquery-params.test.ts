import { describe, expect, it } from 'vitest';
import { effectiveCeiling, estimatedCostUsd, formatBytes, overCeiling } from '../../../src/connectors/bigquery/ceiling.js';
import { toQueryParameters } from '../../../src/connectors/bigquery/params.js';
import { DataMcpError } from '../../../src/results/errors.js';

describe('bigquery named parameters', () => {
  it('types parameters by JS type; values always travel as strings', () => {
    expect(toQueryParameters({ i: -7, big: 2 ** 60, f: 0.25, nan: Number.NaN, inf: -Infinity, t: false, s: '', n: null })).toEqual([
      { name: 'i', parameterType: { type: 'INT64' }, parameterValue: { value: '-7' } },
      { name: 'big', parameterType: { type: 'FLOAT64' }, parameterValue: { value: String(2 ** 60) } },
      { name: 'f', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '0.25' } },
      { name: 'nan', parameterType: { type: 'FLOAT64' }, parameterValue: { value: 'NaN' } },
      { name: 'inf', parameterType: { type: 'FLOAT64' }, parameterValue: { value: '-Infinity' } },
      { name: 't', parameterType: { type: 'BOOL' }, parameterValue: { value: 'false' } },
      { name: 's', parameterType: { type: 'STRING' }, parameterValue: { value: '' } },
      { name: 'n', parameterType: { type: 'STRING' }, parameterValue: {} },
    ]);
    expect(toQueryParameters({})).toEqual([]);
  });

  it('refuses invalid names and non-scalar values', () => {
    for (const name of ['9x', 'a.b', 'a-b', '@a', 'ä', '', 'a'.repeat(129), 'a\u0000']) {
      expect(() => toQueryParameters({ [name]: 1 }), name).toThrow(DataMcpError);
    }
    expect(toQueryParameters({ _ok: 1, ['a'.repeat(128)]: 2 })).toHaveLength(2);
    expect(() => toQueryParameters({ a: { nested: true } as never })).toThrow(/string, number, boolean or null/);
    expect(() => toQueryParameters({ a: [1] as never })).toThrow(DataMcpError);
  });
});

describe('bigquery bytes ceiling', () => {
  it('takes the lower of config and request, never the higher', () => {
    expect(effectiveCeiling(1000, undefined)).toBe(1000);
    expect(effectiveCeiling(1000, 10)).toBe(10);
    expect(effectiveCeiling(1000, 10 ** 12)).toBe(1000);
    for (const bad of [0, -1, 0.5, Number.NaN, Infinity]) expect(() => effectiveCeiling(1000, bad)).toThrow(DataMcpError);
  });

  it('estimates cost per TiB and explains an over-ceiling query', () => {
    expect(estimatedCostUsd(1024 ** 4, 6.25)).toBe(6.25);
    expect(estimatedCostUsd(0, 6.25)).toBe(0);
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.50 KiB (1536 bytes)');
    const error = overCeiling(2 * 1024 ** 4, 1024 ** 3, 5);
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.message).toContain('2.00 TiB');
    expect(error.hint).toContain('$10.0000');
    expect(error.hint).toContain('1.00 GiB');
    expect(error.hint).toMatch(/partition/);
    expect(error.detail).toEqual({ bytesProcessed: 2 * 1024 ** 4, maximumBytesBilled: 1024 ** 3, estimatedCostUsd: 10 });
  });
});
