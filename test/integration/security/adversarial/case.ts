import type { ErrorCode } from '../../../../src/results/errors.js';

/**
 * One row of the adversarial corpus (issue 6, part 2). Every category keeps its rows in a
 * `<category>-cases.ts` table and drives them through the real product surface in a
 * `<category>.test.ts` file; this is the shape they share.
 */
export type Category = 'sql' | 'path' | 'token' | 'argument' | 'injection' | 'config' | 'policy';

/**
 * What must happen. `code`: the attack is refused with exactly this stable error code.
 * `allowed`: the input is legitimate-but-odd and must succeed — and the category's own checks
 * say what success may contain (no rows outside the grant, no write, the boundary intact).
 */
export type Expectation = { code: ErrorCode } | { allowed: string };

export interface AdversarialCase<Input> {
  /** Unique across the whole corpus: `<category>/<short-name>`. */
  id: string;
  category: Category;
  input: Input;
  expect: Expectation;
  /** Why this input is an attack (or a trap), in one line. */
  why: string;
}

export const refuse = (code: ErrorCode): Expectation => ({ code });
export const allow = (what: string): Expectation => ({ allowed: what });

export function expectedCode(c: AdversarialCase<unknown>): ErrorCode | undefined {
  return 'code' in c.expect ? c.expect.code : undefined;
}

/** `it.each` rows: a readable name first, the case second. */
export function rows<Input>(cases: ReadonlyArray<AdversarialCase<Input>>): Array<[string, AdversarialCase<Input>]> {
  return cases.map((c) => [`${c.id} → ${'code' in c.expect ? c.expect.code : 'allowed'}`, c]);
}

/** Fails loudly at collection time when two rows share an id (a copy-paste duplicate). */
export function assertUniqueIds(cases: ReadonlyArray<AdversarialCase<unknown>>): void {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`duplicate adversarial case id ${c.id}`);
    seen.add(c.id);
  }
}
