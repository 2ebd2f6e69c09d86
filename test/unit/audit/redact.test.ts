import { describe, expect, it } from 'vitest';
import { isSecretKey, MAX_ARGUMENT_BYTES, MAX_STRING_CHARS, REDACTED, redactArguments } from '../../../src/audit/redact.js';
import { registerSecret } from '../../../src/results/scrub.js';

const json = (v: unknown) => JSON.stringify(v);

describe('redactArguments', () => {
  it('replaces values under secret-looking keys, at any depth', () => {
    const out = redactArguments({
      password: 'hunter2-hunter2',
      nested: { api_key: 'k-123456', 'X-Api-Key': 'k2', clientSecret: 's', private_key: 'pk', access_key: 'ak', Authorization: 'Bearer abc' },
      list: [{ token: 'tok' }, { credentials: { user: 'u', pass: 'p' } }, { cookie: 'c=1' }],
    });
    expect(out).toEqual({
      password: REDACTED,
      nested: { api_key: REDACTED, 'X-Api-Key': REDACTED, clientSecret: REDACTED, private_key: REDACTED, access_key: REDACTED, Authorization: REDACTED },
      list: [{ token: REDACTED }, { credentials: REDACTED }, { cookie: REDACTED }],
    });
  });

  it('keeps ordinary keys, including an object `key` and token counts', () => {
    expect(isSecretKey('key')).toBe(false);
    expect(isSecretKey('max_tokens')).toBe(false);
    expect(isSecretKey('tokenBudget')).toBe(false);
    expect(isSecretKey('pageToken')).toBe(true);
    const args = { connector: 's3', key: 'reports/2024.csv', max_tokens: 2000, bucket: 'b' };
    expect(redactArguments(args)).toEqual(args);
  });

  it('scrubs registered secret values and credential shapes inside values and keys', () => {
    const canary = 'canary-7f3a9c21-redact-unit';
    registerSecret(canary);
    const out = json(
      redactArguments({
        sql: `select '${canary}'`,
        [`weird-${canary}`]: 1,
        url: 'postgres://user:pa55word@db.internal:5432/x',
        note: 'AKIAABCDEFGHIJKLMNOP and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
      }),
    );
    expect(out).not.toContain(canary);
    expect(out).not.toContain('pa55word');
    expect(out).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(out).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(out).toContain(REDACTED);
  });

  it('cuts long strings with a marker and stays within the limit (idempotent)', () => {
    const out = redactArguments({ q: 'x'.repeat(5000) }) as { q: string };
    expect(out.q.length).toBe(MAX_STRING_CHARS);
    expect(out.q).toMatch(/\[cut 5000 chars\]$/);
    expect(redactArguments(out)).toEqual(out);
  });

  it('does not cut a secret into a shape the scrubber misses', () => {
    const canary = 'canary-long-0b1c2d3e4f';
    registerSecret(canary);
    const out = json(redactArguments({ q: 'y'.repeat(MAX_STRING_CHARS - 30) + canary + 'z'.repeat(100) }));
    expect(out).not.toContain(canary);
    expect(out).not.toContain(canary.slice(0, 12));
  });

  it('cuts long arrays, deep nesting and cycles', () => {
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 20; i++) cur = (cur.next = {}) as Record<string, unknown>;
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const shared = { s: 1 };
    const out = redactArguments({ items: Array.from({ length: 120 }, (_, i) => i), deep, cyclic, pair: [shared, shared] }) as Record<string, unknown>;
    const items = out.items as unknown[];
    expect(items).toHaveLength(51);
    expect(items[50]).toBe('[70 more items]');
    expect(json(out.deep)).toContain('[depth limit]');
    expect(out.cyclic).toEqual({ name: 'c', self: '[circular]' });
    expect(out.pair).toEqual([{ s: 1 }, { s: 1 }]);
  });

  it('bounds the total size', () => {
    const big = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`field${i}`, 'v'.repeat(400)]));
    const out = json(redactArguments(big));
    expect(out.length).toBeLessThanOrEqual(MAX_ARGUMENT_BYTES + 1024);
    expect(out).toContain('[size limit]');
    const wide = json(redactArguments(Array.from({ length: 50 }, () => '\u0001'.repeat(500))));
    expect(wide.length).toBeLessThanOrEqual(MAX_ARGUMENT_BYTES + 1024);
  });

  it('never throws on odd values', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    const getter = Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('boom'); } });
    const out = redactArguments({
      fn: () => 1,
      sym: Symbol('s'),
      big: 12345678901234567890n,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      when: new Date('2024-01-02T03:04:05Z'),
      bad: new Date('nope'),
      bytes: Buffer.from('secret-bytes'),
      map: new Map([['a', 1]]),
      set: new Set([1, 2]),
      undef: undefined,
      getter,
    });
    expect(out).toEqual({
      fn: '[function]',
      sym: '[symbol]',
      big: '12345678901234567890',
      nan: 'NaN',
      inf: 'Infinity',
      when: '2024-01-02T03:04:05.000Z',
      bad: '[invalid date]',
      bytes: '[binary 12 bytes]',
      map: { a: 1 },
      set: { '[set]': [1, 2] },
      getter: { x: '[unreadable]' },
    });
    expect(redactArguments(hostile)).toBe('[unreadable arguments]');
    expect(redactArguments(undefined)).toBeUndefined();
    expect(redactArguments('plain')).toBe('plain');
  });

  it('does not mutate its input', () => {
    const args = { password: 'p-123456', list: [1, 2, 3] };
    const copy = structuredClone(args);
    redactArguments(args);
    expect(args).toEqual(copy);
  });
});
