import { describe, expect, it } from 'vitest';
import type { Cell } from '../../../src/results/arrow-json.js';
import { rowsWithinBudget } from '../../../src/results/budget.js';

const rows = (n: number, width = 1): Cell[][] => Array.from({ length: n }, (_, i) => [i, 'x'.repeat(width)]);

describe('rowsWithinBudget', () => {
  it('keeps every row when under both caps', () => {
    expect(rowsWithinBudget(rows(10), { maxRows: 50, maxBytes: 100_000 })).toBe(10);
  });

  it('caps at maxRows', () => {
    expect(rowsWithinBudget(rows(100), { maxRows: 50, maxBytes: 1_000_000 })).toBe(50);
  });

  it('caps at maxBytes, counting each row twice (structured + text)', () => {
    const row = [1, 'x'.repeat(98)];
    const size = Buffer.byteLength(JSON.stringify(row));
    const all = Array.from({ length: 100 }, () => row);
    const budget = 10 * 2 * size;
    expect(rowsWithinBudget(all, { maxRows: 100, maxBytes: budget })).toBe(10);
    expect(rowsWithinBudget(all, { maxRows: 100, maxBytes: budget - 1 })).toBe(9);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const wide = [['€'.repeat(100)]];
    const bytes = 2 * Buffer.byteLength(JSON.stringify(wide[0]));
    expect(rowsWithinBudget(wide, { maxRows: 10, maxBytes: bytes })).toBe(1);
    expect(rowsWithinBudget(wide, { maxRows: 10, maxBytes: bytes - 1 })).toBe(0);
  });

  it('returns 0 when the first row alone is over the byte cap (never a silent partial row)', () => {
    expect(rowsWithinBudget(rows(3, 5000), { maxRows: 10, maxBytes: 1024 })).toBe(0);
  });

  it('handles an empty result', () => {
    expect(rowsWithinBudget([], { maxRows: 10, maxBytes: 1024 })).toBe(0);
  });
});
