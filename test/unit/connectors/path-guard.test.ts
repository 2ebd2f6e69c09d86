import { describe, expect, it } from 'vitest';
import { asPrefix, checkLimit, checkPath, isAddressable, parentPrefix } from '../../../src/connectors/path-guard.js';
import { abortError, checkRange } from '../../../src/connectors/abort.js';
import { DataMcpError } from '../../../src/results/errors.js';

const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return e instanceof DataMcpError ? e.code : 'other';
  }
};

describe('connector path guard', () => {
  it('splits safe paths into segments and marks prefixes', () => {
    expect(checkPath('')).toEqual({ path: '', segments: [], isPrefix: true });
    expect(checkPath('a/b.csv')).toEqual({ path: 'a/b.csv', segments: ['a', 'b.csv'], isPrefix: false });
    expect(checkPath('a/b/')).toEqual({ path: 'a/b/', segments: ['a', 'b'], isPrefix: true });
    expect(checkPath('weird name/ü… (1).csv').segments).toEqual(['weird name', 'ü… (1).csv']);
    expect(checkPath('a..b/..c').segments).toEqual(['a..b', '..c']);
  });

  it.each([
    ['..'],
    ['../x'],
    ['a/../b'],
    ['a/..'],
    ['./a'],
    ['a/./b'],
    ['/etc/passwd'],
    ['C:/x'],
    ['c:x'],
    ['a\\b'],
    ['..\\x'],
    ['a\u0000b'],
    ['a\nb'],
    ['a\rb'],
    ['a\tb'],
    ['a\u001bb'],
    ['a\u007fb'],
    ['a\u0085b'],
    ['a//b'],
    ['/'],
    ['//'],
    ['x'.repeat(2049)],
  ])('refuses %j with INVALID_ARGUMENT', (path) => {
    expect(code(() => checkPath(path))).toBe('INVALID_ARGUMENT');
    expect(isAddressable(path)).toBe(false);
  });

  it('refuses non-string paths', () => {
    expect(code(() => checkPath(undefined))).toBe('INVALID_ARGUMENT');
    expect(code(() => checkPath(['a']))).toBe('INVALID_ARGUMENT');
  });

  it('finds parent prefixes and builds prefixes', () => {
    expect(parentPrefix('a/b/c.csv')).toBe('a/b/');
    expect(parentPrefix('a/b/')).toBe('a/');
    expect(parentPrefix('c.csv')).toBe('');
    expect(asPrefix([])).toBe('');
    expect(asPrefix(['a', 'b'])).toBe('a/b/');
  });

  it('validates and caps page sizes', () => {
    expect(checkLimit(5, 1000)).toBe(5);
    expect(checkLimit(5000, 1000)).toBe(1000);
    for (const bad of [0, -3, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '10']) expect(code(() => checkLimit(bad, 1000))).toBe('INVALID_ARGUMENT');
  });

  it('validates byte ranges and clamps them to the size', () => {
    expect(checkRange(0, 10, 5)).toEqual({ start: 0, end: 5 });
    expect(checkRange(8, 10, 5)).toEqual({ start: 5, end: 5 });
    expect(checkRange(2, 2, 5)).toEqual({ start: 2, end: 2 });
    for (const [s, e] of [[-1, 2], [3, 2], [0.5, 1], [0, Number.NaN], [0, 2 ** 60]]) expect(code(() => checkRange(s ?? 0, e ?? 0, 5))).toBe('INVALID_ARGUMENT');
  });

  it('tells a timeout from a cancellation by the abort reason', () => {
    expect(abortError(AbortSignal.abort()).code).toBe('CANCELLED');
    expect(abortError(AbortSignal.abort(new DOMException('late', 'TimeoutError'))).code).toBe('TIMEOUT');
    expect(abortError(AbortSignal.abort(new Error('why'))).code).toBe('CANCELLED');
  });
});
