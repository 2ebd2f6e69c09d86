import { describe, expect, it } from 'vitest';
import { DataMcpError } from '../../../src/results/errors.js';
import { createOpaqueTokens, type TokenBinding } from '../../../src/results/handles.js';

const alice: TokenBinding = { principalScope: '["alice",["reader"],"aws:default","gcp:default"]', policyVersion: 'v1' };
const bob: TokenBinding = { principalScope: '["bob",["reader"],"aws:default","gcp:default"]', policyVersion: 'v1' };

function invalid(fn: () => unknown): DataMcpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataMcpError && err.code === 'INVALID_ARGUMENT') return err;
    throw err;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

/** Flips one base64url character at index `i` into another valid character. */
function flip(text: string, i: number): string {
  const ch = text[i] === 'A' ? 'B' : 'A';
  return text.slice(0, i) + ch + text.slice(i + 1);
}

describe('opaque tokens', () => {
  const tokens = createOpaqueTokens('a-handle-secret-that-is-long-enough-000', 3600);

  it('round-trips the payload for the same kind and binding', () => {
    const t = tokens.mint('handle', { id: 'abc', n: 3 }, alice);
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(tokens.open('handle', t, alice)).toMatchObject({ id: 'abc', n: 3 });
  });

  it('refuses a tampered body', () => {
    const t = tokens.mint('handle', { id: 'abc' }, alice);
    const [body = '', sig = ''] = t.split('.');
    invalid(() => tokens.open('handle', `${flip(body, 2)}.${sig}`, alice));
    const forged = Buffer.from(JSON.stringify({ id: 'other', x: 9_999_999_999 })).toString('base64url');
    invalid(() => tokens.open('handle', `${forged}.${sig}`, alice));
  });

  it('refuses a tampered signature', () => {
    const t = tokens.mint('handle', { id: 'abc' }, alice);
    const [body = '', sig = ''] = t.split('.');
    invalid(() => tokens.open('handle', `${body}.${flip(sig, 0)}`, alice));
    invalid(() => tokens.open('handle', `${body}.${sig.slice(0, -4)}`, alice));
    invalid(() => tokens.open('handle', `${body}.`, alice));
    invalid(() => tokens.open('handle', `${body}`, alice));
    invalid(() => tokens.open('handle', `${t}.extra`, alice));
  });

  it("refuses another principal's token", () => {
    const err = invalid(() => tokens.open('handle', tokens.mint('handle', { id: 'abc' }, alice), bob));
    expect(err.hint).toContain('Repeat the original call');
  });

  it('refuses a token from another policy version', () => {
    invalid(() => tokens.open('handle', tokens.mint('handle', { id: 'abc' }, alice), { ...alice, policyVersion: 'v2' }));
  });

  it('refuses a token of another kind (a cursor is not a handle)', () => {
    invalid(() => tokens.open('handle', tokens.mint('cursor', { id: 'abc' }, alice), alice));
  });

  it('refuses a token from another server secret', () => {
    const other = createOpaqueTokens('another-handle-secret-long-enough-0000', 3600);
    invalid(() => tokens.open('handle', other.mint('handle', { id: 'abc' }, alice), alice));
  });

  it('refuses an expired token', () => {
    let now = 1_800_000_000_000;
    const clocked = createOpaqueTokens('a-handle-secret-that-is-long-enough-000', 60, () => now);
    const t = clocked.mint('handle', { id: 'abc' }, alice);
    now += 59_000;
    expect(clocked.open('handle', t, alice)).toMatchObject({ id: 'abc' });
    now += 2_000;
    expect(invalid(() => clocked.open('handle', t, alice)).message).toContain('expired');
  });

  it('refuses an over-long token', () => {
    const t = tokens.mint('handle', { id: 'x'.repeat(4000) }, alice);
    expect(t.length).toBeGreaterThan(4096);
    invalid(() => tokens.open('handle', t, alice));
    invalid(() => tokens.open('handle', 'a'.repeat(100_000), alice));
  });

  it.each(['', '.', 'abc', 'a.b.c', '!!!.???', '\u0000.\u0000'])('refuses garbage %j', (garbage) => {
    invalid(() => tokens.open('cursor', garbage, alice));
  });

  it('tokens from a process without a configured secret die with it', () => {
    const a = createOpaqueTokens(undefined, 3600);
    const b = createOpaqueTokens(undefined, 3600);
    const t = a.mint('handle', { id: 'abc' }, alice);
    expect(a.open('handle', t, alice)).toMatchObject({ id: 'abc' });
    invalid(() => b.open('handle', t, alice));
  });
});
