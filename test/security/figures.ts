/**
 * Figures the security suite reports (SECURITY.md quotes them). A test records a count on its
 * own task's meta; `test/security/figures-reporter.ts` sums every count of the same name over
 * the run and prints the table. Recording is passive: the assertions are what make a test
 * fail, the figures only say how much was checked and what was found.
 */
import type { TestContext } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** name → count, summed over the whole run by the figures reporter. */
    securityFigures?: Record<string, number>;
  }
}

/** Adds `count` to the figure `name` for this test (e.g. `adversarial: cases`, `adversarial: bypasses`). */
export function recordFigure(context: Pick<TestContext, 'task'>, name: string, count: number): void {
  const figures = (context.task.meta.securityFigures ??= {});
  figures[name] = (figures[name] ?? 0) + count;
}
