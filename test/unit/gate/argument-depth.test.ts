import { describe, expect, it } from 'vitest';
import { MAX_ARGUMENT_DEPTH, nestsDeeperThan } from '../../../src/gate/argument-depth.js';

function nest(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { v: value };
  return value;
}

describe('argument nesting bound', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(nestsDeeperThan('x', 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan(nest(MAX_ARGUMENT_DEPTH), MAX_ARGUMENT_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nest(MAX_ARGUMENT_DEPTH + 1), MAX_ARGUMENT_DEPTH)).toBe(true);
  });

  it('walks 100 000 levels without recursion', () => {
    expect(nestsDeeperThan({ a: 1, b: [nest(100_000)] }, MAX_ARGUMENT_DEPTH)).toBe(true);
  });

  it('is not fooled by width: many shallow siblings are fine', () => {
    expect(nestsDeeperThan({ rows: Array.from({ length: 10_000 }, (_, i) => ({ id: i, tags: ['a'] })) }, MAX_ARGUMENT_DEPTH)).toBe(false);
  });
});
