import { loadConfig, type LoadOptions } from '../config/load.js';
import { formatPolicyTestReport, runPolicyTests } from '../policy/test-runner.js';

/** `data-mcp policy test FILES`: allow/deny cases against the configured (or given) policies. */
export async function runPolicyTest(files: string[], options: LoadOptions & { policiesDir?: string }): Promise<{ ok: boolean; text: string }> {
  const dir = options.policiesDir ?? loadConfig(options).policiesDir;
  const report = await runPolicyTests(files, dir);
  return { ok: report.failed === 0, text: formatPolicyTestReport(report) };
}
