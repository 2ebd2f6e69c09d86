import { MAX_TREE_DEPTH } from './types.js';
import { sqlRefusal } from './refusal.js';

/** One object node met while walking a parse tree, with the key it sits under. */
export interface WalkFrame<C> {
  key: string;
  node: Record<string, unknown>;
  depth: number;
  context: C;
}

/**
 * Visits every object in a JSON parse tree, depth first, with an explicit stack: trees from hostile
 * input can be thousands of levels deep, and recursion would overflow the JS stack. `visit` may
 * return a per-child context (for scopes and write positions); children inherit the parent's
 * context otherwise. Arrays are transparent: their items keep the array's key.
 */
export function walkTree<C>(
  root: unknown,
  rootContext: C,
  visit: (frame: WalkFrame<C>) => ((childKey: string) => C) | void,
): void {
  const stack: Array<{ key: string; value: unknown; depth: number; context: C }> = [
    { key: '', value: root, depth: 0, context: rootContext },
  ];
  while (stack.length > 0) {
    const { key, value, depth, context } = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) throw sqlRefusal('sql_too_complex', 'SQL is nested too deeply.');
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ key, value: value[i], depth: depth + 1, context });
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const node = value as Record<string, unknown>;
    const childContext = visit({ key, node, depth, context });
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [childKey, child] = entries[i]!;
      if (child === null || typeof child !== 'object') continue;
      stack.push({ key: childKey, value: child, depth: depth + 1, context: childContext ? childContext(childKey) : context });
    }
  }
}
