import { describe, expect, it } from 'vitest';
import { cacheKey, type CacheKeyParts } from '../../../src/cache/keys.js';

const base: CacheKeyParts = {
  tool: 'read_object',
  request: { connector: 'lake', path: 'sales/2024.parquet', limit: 50 },
  principalScope: JSON.stringify(['analyst', ['reader'], 'aws-a', 'gcp-a']),
  policyVersion: 'p-1',
};

describe('cacheKey', () => {
  it('is a 64-character lowercase hex SHA-256', () => {
    expect(cacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is stable for equal parts', () => {
    expect(cacheKey(base)).toBe(cacheKey(structuredClone(base)));
  });

  it('does not depend on key order inside the request', () => {
    const reordered = { ...base, request: { limit: 50, path: 'sales/2024.parquet', connector: 'lake' } };
    expect(cacheKey(reordered)).toBe(cacheKey(base));
  });

  it('does not depend on key order in nested objects', () => {
    const a = { ...base, request: { filter: { a: 1, b: [1, { x: 1, y: 2 }] } } };
    const b = { ...base, request: { filter: { b: [1, { y: 2, x: 1 }], a: 1 } } };
    expect(cacheKey(a)).toBe(cacheKey(b));
  });

  it('differs for a different principal scope (two principals never share an entry)', () => {
    const other = { ...base, principalScope: JSON.stringify(['intern', ['reader'], 'aws-a', 'gcp-a']) };
    expect(cacheKey(other)).not.toBe(cacheKey(base));
  });

  it('differs for the same SA with a different credential scope', () => {
    const other = { ...base, principalScope: JSON.stringify(['analyst', ['reader'], 'aws-b', 'gcp-a']) };
    expect(cacheKey(other)).not.toBe(cacheKey(base));
  });

  it('differs for a different policy version (a policy change invalidates everything)', () => {
    expect(cacheKey({ ...base, policyVersion: 'p-2' })).not.toBe(cacheKey(base));
  });

  it('differs for a different tool with the same request', () => {
    expect(cacheKey({ ...base, tool: 'stat' })).not.toBe(cacheKey(base));
  });

  it('differs for any change in the request', () => {
    const keys = new Set([
      cacheKey(base),
      cacheKey({ ...base, request: { connector: 'lake', path: 'sales/2024.parquet', limit: 51 } }),
      cacheKey({ ...base, request: { connector: 'lake', path: 'sales/2025.parquet', limit: 50 } }),
      cacheKey({ ...base, request: { connector: 'lake', path: 'sales/2024.parquet', limit: '50' } }),
      cacheKey({ ...base, request: { connector: 'lake', path: 'sales/2024.parquet' } }),
      cacheKey({ ...base, request: [] }),
      cacheKey({ ...base, request: null }),
      cacheKey({ ...base, request: '' }),
    ]);
    expect(keys.size).toBe(8);
  });

  it('cannot be confused by moving text between parts', () => {
    const a = cacheKey({ tool: 'ab', request: 'c', principalScope: 's', policyVersion: 'v' });
    const b = cacheKey({ tool: 'a', request: 'bc', principalScope: 's', policyVersion: 'v' });
    const c = cacheKey({ tool: 'a', request: 'b', principalScope: 'cs', policyVersion: 'v' });
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('handles adversarial request content (unicode, BigInt, huge strings, prototype keys)', () => {
    const request = JSON.parse('{"__proto__": {"admin": true}, "q": "\\u0000\\ud83d\\ude00"}') as unknown;
    const withProto = cacheKey({ ...base, request });
    const without = cacheKey({ ...base, request: { q: '\u0000\u{1F600}' } });
    expect(withProto).not.toBe(without);
    expect(cacheKey({ ...base, request: { n: 10n } })).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...base, request: { s: 'x'.repeat(1_000_000) } })).toMatch(/^[0-9a-f]{64}$/);
  });
});
