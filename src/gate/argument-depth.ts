/**
 * Deepest nesting a tool's arguments may have. Real arguments stay far below it (a filter is at
 * most 8 levels, about 17 with its and/or lists); anything deeper is hostile, and deep enough
 * nesting overflows the stack of the recursive walkers that come later (JSON.stringify for the
 * size check, the zod schemas), which would turn a bad argument into an INTERNAL crash.
 */
export const MAX_ARGUMENT_DEPTH = 64;

/** True when `value` nests deeper than `limit` levels; counted with an explicit stack, never recursion. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[node: unknown, depth: number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
