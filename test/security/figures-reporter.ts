/**
 * A vitest reporter for `npm run security`: after the run, prints every figure the security
 * tests recorded (see figures.ts), summed by name and grouped by the part before the colon,
 * plus the pass/fail counts of the tests themselves. This is the test runner's output, not the
 * server's, so stdout is fine here.
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';

export default class SecurityFiguresReporter implements Reporter {
  private readonly figures = new Map<string, number>();
  private passed = 0;
  private failed = 0;
  private skipped = 0;

  onTestCaseResult(testCase: TestCase): void {
    const state = testCase.result().state;
    if (state === 'passed') this.passed++;
    else if (state === 'failed') this.failed++;
    else this.skipped++;
    for (const [name, count] of Object.entries(testCase.meta().securityFigures ?? {})) {
      this.figures.set(name, (this.figures.get(name) ?? 0) + count);
    }
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    const width = Math.max(10, ...[...this.figures.keys()].map((k) => k.length));
    const lines = ['', 'data-mcp security figures', '='.repeat(width + 12)];
    for (const name of [...this.figures.keys()].sort()) lines.push(`${name.padEnd(width)}  ${String(this.figures.get(name)).padStart(10)}`);
    lines.push('-'.repeat(width + 12));
    lines.push(`${'tests passed'.padEnd(width)}  ${String(this.passed).padStart(10)}`);
    lines.push(`${'tests failed'.padEnd(width)}  ${String(this.failed).padStart(10)}`);
    lines.push(`${'tests skipped'.padEnd(width)}  ${String(this.skipped).padStart(10)}`);
    process.stdout.write(`${lines.join('\n')}\n\n`);
  }
}
