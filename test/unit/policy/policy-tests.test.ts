import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatPolicyTestReport, runPolicyTests } from '../../../src/policy/test-runner.js';
import { DataMcpError } from '../../../src/results/errors.js';

const POLICIES = new URL('../../../policies/', import.meta.url).pathname;
const TESTS = join(POLICIES, 'tests');

const dirs: string[] = [];
function testFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-mcp-policy-tests-'));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const FIXTURE = `
fixture:
  service_accounts:
    - { id: rita, roles: [reader] }
  connectors:
    lake: { kind: s3, annotations: { "reports/": { classification: restricted } } }
`;

describe('policies/tests/*.yaml', () => {
  it('all pass against the bundled policies, with at least 40 cases over several files', async () => {
    const files = readdirSync(TESTS).filter((f) => f.endsWith('.yaml')).map((f) => join(TESTS, f));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const report = await runPolicyTests(files, POLICIES);
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThanOrEqual(40);
    expect(new Set(report.results.map((r) => r.actual))).toEqual(new Set(['allow', 'deny']));
    expect(formatPolicyTestReport(report)).toBe(`OK: ${report.passed}/${report.passed} policy cases passed.`);
  });
});

describe('runPolicyTests', () => {
  it('reports a case whose expectation is wrong, and a missing determining policy', async () => {
    const file = testFile(
      'wrong.yaml',
      `${FIXTURE}
cases:
  - { name: right, principal: rita, action: read, connector: lake, path: a.csv, expect: allow }
  - { name: wrong, principal: rita, action: read, connector: lake, path: reports/a.csv, expect: allow }
  - { name: wrong policy, principal: rita, action: read, connector: lake, path: a.csv, expect: allow, determined_by: [admin-admin] }
`,
    );
    const report = await runPolicyTests([file], POLICIES);
    expect(report).toMatchObject({ passed: 1, failed: 2 });
    expect(report.results[1]).toMatchObject({ name: 'wrong', expected: 'allow', actual: 'deny', ok: false, policies: [] });
    expect(report.results[2]).toMatchObject({ ok: false, actual: 'allow', problem: expect.stringContaining('admin-admin') });
    const text = formatPolicyTestReport(report);
    expect(text).toContain(`FAIL ${file} — wrong: expected allow, got deny (no policy matched)`);
    expect(text).toContain('FAILED: 1/3 policy cases passed, 2 failed.');
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['invalid YAML', 'fixture: [unclosed', /is not valid YAML/],
    ['no cases', FIXTURE, /cases/],
    ['unknown action', `${FIXTURE}cases:\n  - { name: x, principal: rita, action: drop, connector: lake, expect: allow }\n`, /case #1 "x": action/],
    ['bad expect', `${FIXTURE}cases:\n  - { name: y, principal: rita, action: read, connector: lake, expect: maybe }\n`, /case #1 "y": expect/],
    ['unknown principal', `${FIXTURE}cases:\n  - { name: z, principal: bob, action: read, connector: lake, expect: allow }\n`, /case #1 "z": principal "bob"/],
    ['unknown connector', `${FIXTURE}cases:\n  - { name: c, principal: rita, action: read, connector: sea, expect: allow }\n`, /case #1 "c": connector "sea"/],
    ['widened roles', `${FIXTURE}cases:\n  - { name: w, principal: rita, roles: [admin], action: read, connector: lake, expect: allow }\n`, /case #1 "w": roles admin/],
    ['bad path', `${FIXTURE}cases:\n  - { name: p, principal: rita, action: read, connector: lake, path: ../x, expect: allow }\n`, /case #1 "p": Invalid path/],
    ['hour vs now', `${FIXTURE}cases:\n  - { name: h, principal: rita, action: read, connector: lake, context: { hour: 3, now: "2026-01-01T05:00:00Z" }, expect: allow }\n`, /case #1 "h": context.hour 3 disagrees/],
    ['unknown case key', `${FIXTURE}cases:\n  - { name: k, principal: rita, action: read, connector: lake, expect: allow, expected: deny }\n`, /case #1 "k"/],
    ['second case bad', `${FIXTURE}cases:\n  - { name: ok, principal: rita, action: read, connector: lake, expect: allow }\n  - { principal: rita }\n`, /case #2/],
  ];

  it.each(malformed)('refuses a malformed file (%s), naming the file and case', async (_label, text, problem) => {
    const file = testFile('bad.yaml', text);
    const err: unknown = await runPolicyTests([file], POLICIES).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataMcpError);
    expect((err as DataMcpError).message).toContain(file);
    expect((err as DataMcpError).message).toMatch(problem);
  });

  it('refuses a missing file', async () => {
    await expect(runPolicyTests(['/nonexistent/x.yaml'], POLICIES)).rejects.toThrow(/Cannot read policy test file \/nonexistent\/x\.yaml/);
  });
});
