import { describe, expect, it } from 'vitest';
import { computeHash, GENESIS_HASH, isHash, sealLine, sealRecord } from '../../../src/audit/chain.js';
import { canonicalJson, sha256Hex } from '../../../src/util/canonical-json.js';

describe('audit hash chain', () => {
  it('starts from 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(isHash(GENESIS_HASH)).toBe(true);
  });

  it('hashes prevHash followed by the canonical record without its hash', () => {
    const record = { type: 'call', seq: 1, prevHash: GENESIS_HASH, b: [1, { y: 2, x: 1 }], a: 'x' };
    const expected = sha256Hex(GENESIS_HASH + canonicalJson(record));
    expect(computeHash(GENESIS_HASH, record)).toBe(expected);
    // The record's own hash member never feeds its hash.
    expect(computeHash(GENESIS_HASH, { ...record, hash: 'f'.repeat(64) })).toBe(expected);
  });

  it('does not depend on key order', () => {
    expect(computeHash(GENESIS_HASH, { a: 1, b: { c: 2, d: 3 } })).toBe(computeHash(GENESIS_HASH, { b: { d: 3, c: 2 }, a: 1 }));
  });

  it('changes when any field or the previous hash changes', () => {
    const base = { seq: 1, tool: 'list', arguments: { path: 'a' } };
    const h = computeHash(GENESIS_HASH, base);
    expect(computeHash(GENESIS_HASH, { ...base, seq: 2 })).not.toBe(h);
    expect(computeHash(GENESIS_HASH, { ...base, arguments: { path: 'b' } })).not.toBe(h);
    expect(computeHash('1'.repeat(64), base)).not.toBe(h);
  });

  it('seals records into a chain where each prevHash is the previous hash', () => {
    const first = sealRecord({ seq: 1, v: 'a' }, GENESIS_HASH);
    const second = sealRecord({ seq: 2, v: 'b' }, first.hash);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.prevHash).toBe(first.hash);
    expect(isHash(second.hash)).toBe(true);
    expect(second.hash).toBe(computeHash(first.hash, second));
    // Re-checking a sealed record after a JSON round trip gives the same hash.
    expect(computeHash(second.prevHash, JSON.parse(JSON.stringify(second)) as object)).toBe(second.hash);
  });

  it('rejects non-hash shapes', () => {
    expect(isHash('abc')).toBe(false);
    expect(isHash('G'.repeat(64))).toBe(false);
    expect(isHash(42)).toBe(false);
  });

  it('renders the line as the canonical record with the hash appended, parseable back to the record', () => {
    const { record, line } = sealLine({ seq: 1, b: { y: 1, x: 2 }, a: [1, 'two'], hash: 'stale' }, GENESIS_HASH);
    expect(line).toBe(`${canonicalJson({ seq: 1, b: { y: 1, x: 2 }, a: [1, 'two'], prevHash: GENESIS_HASH }).slice(0, -1)},"hash":"${record.hash}"}`);
    const parsed = JSON.parse(line) as typeof record;
    expect(parsed).toEqual(record);
    expect(computeHash(parsed.prevHash, parsed)).toBe(parsed.hash);
    expect(record).toEqual(sealRecord({ seq: 1, b: { y: 1, x: 2 }, a: [1, 'two'] }, GENESIS_HASH));
  });
});
