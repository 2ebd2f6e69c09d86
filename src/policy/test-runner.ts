import { readFile } from 'node:fs/promises';
import type { Principal } from '../identity/principal.js';
import { configError } from '../results/errors.js';
import { PolicyEngine } from './engine.js';
import { canonicalizePath } from './paths.js';
import { parsePolicyTestFile, type PolicyTestCase, type PolicyTestFile } from './test-file.js';
import type { AuthzContext, AuthzRequest } from './types.js';

export interface PolicyTestResult {
  file: string;
  name: string;
  expected: 'allow' | 'deny';
  actual: 'allow' | 'deny';
  /** Policies that determined the decision. */
  policies: string[];
  errors: string[];
  ok: boolean;
  /** Why a case failed beyond allow/deny (e.g. a missing `determined_by` policy). */
  problem?: string;
}

export interface PolicyTestReport {
  passed: number;
  failed: number;
  results: PolicyTestResult[];
}

/** A fixed instant, so a case without `context.now` is deterministic. */
const DEFAULT_NOW = '2026-01-15T10:00:00Z';

/**
 * Runs allow/deny cases against the policies of `policiesDir`, each file in its own fixture
 * world. Decisions are fresh (never memoized) and come from the same engine the server uses.
 */
export async function runPolicyTests(files: string[], policiesDir: string): Promise<PolicyTestReport> {
  const results: PolicyTestResult[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw configError(`Cannot read policy test file ${file} (${(err as NodeJS.ErrnoException).code ?? 'read error'}).`, 'Check the path.');
    }
    const testFile = parsePolicyTestFile(file, text);
    const engine = await PolicyEngine.load({ dir: policiesDir, config: fixtureConfig(testFile) });
    testFile.cases.forEach((c, index) => results.push(runCase(engine, testFile, c, index)));
  }
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}

function runCase(engine: PolicyEngine, testFile: PolicyTestFile, c: PolicyTestCase, index: number): PolicyTestResult {
  const request = toRequest(testFile.file, c, index);
  const decision = engine.explain(principalFor(testFile, c), request, contextFor(testFile, c));
  const actual = decision.allowed ? 'allow' : 'deny';
  const missing = (c.determined_by ?? []).filter((id) => !decision.policies.includes(id));
  const problem = missing.length > 0 ? `expected ${missing.join(', ')} among the deciding policies` : undefined;
  return {
    file: testFile.file,
    name: c.name,
    expected: c.expect,
    actual,
    policies: decision.policies,
    errors: decision.errors,
    ok: actual === c.expect && problem === undefined,
    ...(problem ? { problem } : {}),
  };
}

function fixtureConfig(testFile: PolicyTestFile) {
  return { server: { env: testFile.fixture.env }, connectors: testFile.fixture.connectors };
}

function principalFor(testFile: PolicyTestFile, c: PolicyTestCase): Principal {
  const sa = testFile.fixture.service_accounts.find((s) => s.id === c.principal);
  if (!sa) throw new Error(`unreachable: principal ${c.principal} was checked at parse`);
  return { saId: sa.id, roles: c.roles ?? sa.roles, attributes: sa.attributes, authMode: 'token', aws: { id: 'none' }, gcp: { id: 'none' } };
}

function toRequest(file: string, c: PolicyTestCase, index: number): AuthzRequest {
  if (c.path === undefined) return { action: c.action, resource: { type: 'Connector', connector: c.connector } };
  try {
    return { action: c.action, resource: { type: 'Location', connector: c.connector, path: canonicalizePath(c.path, { allowEmpty: true }) } };
  } catch (err) {
    throw configError(`Policy test file ${file}, case #${index + 1} "${c.name}": ${(err as Error).message}`, 'Test cases use canonical paths.');
  }
}

function contextFor(testFile: PolicyTestFile, c: PolicyTestCase): AuthzContext {
  const { env, hour, now, tool, agent } = c.context;
  let when = new Date(now ?? DEFAULT_NOW);
  if (hour !== undefined && now === undefined) when = new Date(Date.UTC(2026, 0, 15, hour));
  return { env: env ?? testFile.fixture.env, now: when, tool: tool ?? 'policy_test', agent: agent ?? 'policy-test' };
}

/** Human-readable report for the CLI: one line per failure, then a summary. */
export function formatPolicyTestReport(report: PolicyTestReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    if (r.ok) continue;
    const by = r.policies.length > 0 ? ` (decided by ${r.policies.join(', ')})` : ' (no policy matched)';
    lines.push(`FAIL ${r.file} — ${r.name}: expected ${r.expected}, got ${r.actual}${by}`);
    if (r.problem) lines.push(`     ${r.problem}`);
    for (const e of r.errors) lines.push(`     error: ${e}`);
  }
  const total = report.passed + report.failed;
  lines.push(`${report.failed === 0 ? 'OK' : 'FAILED'}: ${report.passed}/${total} policy cases passed${report.failed > 0 ? `, ${report.failed} failed` : ''}.`);
  return lines.join('\n');
}
