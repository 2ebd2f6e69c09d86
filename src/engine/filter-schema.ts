/**
 * The typed predicate DSL (DESIGN §10): data, never code. A leaf compares one column with a
 * literal; `and`/`or`/`not` combine leaves. Depth and size are bounded so a hostile filter
 * cannot exhaust the stack or the CPU: the bounds are checked iteratively before the
 * recursive schema walks the input.
 */
import { z } from 'zod';

export const FILTER_OPS = [
  'eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in', 'between',
  'is_null', 'is_not_null', 'contains', 'starts_with', 'ends_with',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const MAX_FILTER_DEPTH = 8;
export const MAX_FILTER_NODES = 100;
export const MAX_FILTER_LIST = 1000;

export type FilterScalar = string | number | boolean;

export interface FilterLeaf {
  column: string;
  op: FilterOp;
  value?: FilterScalar | FilterScalar[] | undefined;
}
export type Filter = FilterLeaf | { and: Filter[] } | { or: Filter[] } | { not: Filter };

const scalar = z.union([z.string().max(10_000), z.number(), z.boolean()]);

const leafSchema = z.strictObject({
  column: z.string().min(1).max(1024).describe('Column name (case-sensitive).'),
  op: z.enum(FILTER_OPS).describe('eq/ne/lt/lte/gt/gte take one value; in/not_in a list; between [low, high] (inclusive); contains/starts_with/ends_with a string; is_null/is_not_null no value. Timestamps compare with ISO-8601 strings.'),
  value: z.union([scalar, z.array(scalar).max(MAX_FILTER_LIST)]).optional(),
});

const nodeSchema: z.ZodType<Filter> = z.lazy(() =>
  z.union([
    leafSchema,
    z.strictObject({ and: z.array(nodeSchema).min(1) }),
    z.strictObject({ or: z.array(nodeSchema).min(1) }),
    z.strictObject({ not: nodeSchema }),
  ]),
);

/** Counts nodes and depth without recursion; returns a problem description or undefined. */
export function filterBoundsProblem(input: unknown): string | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: input, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    nodes++;
    if (depth > MAX_FILTER_DEPTH) return `filter nesting is deeper than ${MAX_FILTER_DEPTH} levels`;
    if (nodes > MAX_FILTER_NODES) return `filter has more than ${MAX_FILTER_NODES} nodes`;
    const record = node as Record<string, unknown>;
    for (const key of ['and', 'or'] as const) {
      const list = record[key];
      if (Array.isArray(list)) {
        if (list.length > MAX_FILTER_NODES) return `filter has more than ${MAX_FILTER_NODES} nodes`;
        for (const child of list) stack.push({ node: child, depth: depth + 1 });
      }
    }
    if ('not' in record) stack.push({ node: record.not, depth: depth + 1 });
  }
  return undefined;
}

export const filterSchema: z.ZodType<Filter> = z
  .unknown()
  .superRefine((value, ctx) => {
    const problem = filterBoundsProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; simplify the filter (use "in" instead of many "or" branches).` });
  })
  .pipe(nodeSchema) as unknown as z.ZodType<Filter>;

/** The recursive node schema alone, for JSON Schema generation of tool inputs. */
export const filterNodeSchema = nodeSchema;
