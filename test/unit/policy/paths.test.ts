import { describe, expect, it } from 'vitest';
import { ancestorPrefixes, canonicalizePath, isWithinPrefix, parentPrefix } from '../../../src/policy/paths.js';
import { DataMcpError } from '../../../src/results/errors.js';

function refusal(raw: string): DataMcpError {
  try {
    canonicalizePath(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(DataMcpError);
    return err as DataMcpError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('canonicalizePath refuses ambiguous or hostile paths', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['parent traversal', '../etc/passwd', /"\.\." segment/],
    ['parent traversal in the middle', 'a/../../b', /"\.\." segment/],
    ['trailing parent', 'a/..', /"\.\." segment/],
    ['dot segment', './a', /"\." segment/],
    ['dot segment in the middle', 'a/./b', /"\." segment/],
    ['empty segment', 'a//b', /empty segment/],
    ['double trailing slash', 'a//', /empty segment/],
    ['only a slash', '/', /absolute/],
    ['absolute path', '/etc/passwd', /absolute/],
    ['encoded dots', '%2e%2e/secret', /percent-encoded/],
    ['encoded dots upper case', '%2E%2E/secret', /percent-encoded/],
    ['encoded slash', 'a%2Fb', /percent-encoded/],
    ['encoded slash lower case', 'a%2fb', /percent-encoded/],
    ['encoded backslash', 'a%5Cb', /percent-encoded/],
    ['backslash', 'a\\b', /backslash/],
    ['windows traversal', '..\\..\\win.ini', /backslash/],
    ['NUL', 'a\u0000b', /control character U\+0000/],
    ['NUL at the end', 'report.csv\u0000.txt', /control character U\+0000/],
    ['escape', 'a\u001b[31mred', /control character U\+001B/],
    ['newline', 'a\nb', /control character U\+000A/],
    ['tab', 'a\tb', /control character U\+0009/],
    ['DEL', 'a\u007fb', /control character U\+007F/],
    ['C1 control', 'a\u0085b', /control character U\+0085/],
    ['right-to-left override', 'invoice\u202egpj.exe', /U\+202E/],
    ['left-to-right embedding', 'a\u202ab', /U\+202A/],
    ['zero-width space', 'rep\u200borts/', /U\+200B/],
    ['zero-width joiner', 'a\u200db', /U\+200D/],
    ['word joiner', 'a\u2060b', /U\+2060/],
    ['bidi isolate', 'a\u2066b', /U\+2066/],
    ['byte order mark', '\ufeffreports/', /U\+FEFF/],
    ['unpaired surrogate', 'a\ud800b', /surrogate/],
    ['non-NFC (decomposed e + combining acute)', 'caf\u0065\u0301.csv', /NFC/],
    ['over 1024 bytes', 'a'.repeat(1025), /1024/],
    ['over 1024 bytes in multi-byte characters', 'é'.repeat(513), /1024/],
    ['over 64 segments', Array.from({ length: 65 }, () => 'a').join('/'), /64 segments/],
    ['empty when not allowed', '', /empty/],
  ];

  it.each(cases)('%s', (_label, raw, message) => {
    const err = refusal(raw);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toMatch(message);
    expect(err.hint.length).toBeGreaterThan(10);
  });

  it('gives every kind of refusal its own message', () => {
    const kinds = new Set(cases.map(([, raw]) => refusal(raw).message.replace(/U\+[0-9A-F]+/, 'U+')));
    expect(kinds.size).toBeGreaterThanOrEqual(12);
  });
});

describe('canonicalizePath accepts plain paths unchanged', () => {
  it.each([
    'reports/2026/q1.csv',
    'reports/2026/',
    'a',
    'a/',
    'données/été.csv',
    '数据/表.parquet',
    'résumé (final) #2 & more.csv',
    'file..name.csv',
    '.hidden',
    'a/.config/b',
    '...',
    '100%/done.csv',
    'a'.repeat(1024),
    Array.from({ length: 64 }, () => 'a').join('/'),
    'é'.repeat(512),
  ])('%s', (raw) => {
    expect(canonicalizePath(raw)).toBe(raw);
  });

  it('keeps the trailing slash that marks a prefix', () => {
    expect(canonicalizePath('lake/reports/')).toBe('lake/reports/');
  });

  it('returns the connector root only when allowed', () => {
    expect(canonicalizePath('', { allowEmpty: true })).toBe('');
  });
});

describe('prefix helpers', () => {
  it('lists enclosing prefixes nearest first', () => {
    expect(ancestorPrefixes('a/b/c.csv')).toEqual(['a/b/', 'a/']);
    expect(ancestorPrefixes('a/b/')).toEqual(['a/']);
    expect(ancestorPrefixes('top.csv')).toEqual([]);
  });

  it('finds the parent prefix', () => {
    expect(parentPrefix('a/b/c.csv')).toBe('a/b/');
    expect(parentPrefix('a/b/')).toBe('a/');
    expect(parentPrefix('a/')).toBe('');
    expect(parentPrefix('a.csv')).toBe('');
  });

  it('compares prefixes on "/" boundaries', () => {
    expect(isWithinPrefix('reports/q1.csv', 'reports/')).toBe(true);
    expect(isWithinPrefix('reports/', 'reports/')).toBe(true);
    expect(isWithinPrefix('reports2/q1.csv', 'reports/')).toBe(false);
    expect(isWithinPrefix('reports.csv', 'reports/')).toBe(false);
    expect(isWithinPrefix('reports2/q1.csv', 'reports')).toBe(false);
    expect(isWithinPrefix('reports/q1.csv', 'reports')).toBe(true);
    expect(isWithinPrefix('reports', 'reports')).toBe(true);
    expect(isWithinPrefix('anything/at/all', '')).toBe(true);
    expect(isWithinPrefix('hr/salaries.csv.bak', 'hr/salaries.csv')).toBe(false);
  });
});
