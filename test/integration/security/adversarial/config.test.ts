import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../../src/commands/check.js';
import { loadConfig } from '../../../../src/config/load.js';
import { isDataMcpError } from '../../../../src/results/errors.js';
import { startHarness } from '../../../helpers/harness.js';
import { demoConfig } from '../../tools/support.js';
import { assertUniqueIds, expectedCode, rows, type AdversarialCase } from './case.js';
import { CONFIG_CASES, type ConfigInput } from './config-cases.js';
import { POLICY_CASES, type PolicyFile, type PolicyInput } from './policy-cases.js';
import { attack, recordCase } from './verdict.js';

/**
 * Config and policy files of the adversarial corpus, through `data-mcp check` (runCheck) as an
 * operator runs it, and — for policies that only fail while evaluating — through a real server.
 * A refusal must be a DataMcpError with the stable code; anything else thrown is a crash.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function caseDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-mcp-adv-config-'));
  dirs.push(dir);
  return dir;
}

function writeConfig(dir: string, file: ConfigInput['file']): string {
  const path = join(dir, 'config.yaml');
  if (typeof file === 'string') writeFileSync(path, file.replaceAll('{dir}', dir));
  else if (Buffer.isBuffer(file)) writeFileSync(path, file.toString('utf8').includes('{dir}') ? Buffer.from(file.toString('latin1').replaceAll('{dir}', dir), 'latin1') : file);
  else if ('directory' in file) mkdirSync(path);
  return path;
}

function writePolicies(dir: string, files: Record<string, PolicyFile>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    if (typeof content === 'string' || Buffer.isBuffer(content)) writeFileSync(path, content);
    else if ('directory' in content) mkdirSync(path);
    else symlinkSync(content.symlink, path);
  }
}

/** Runs `check` (and, for valid files, loads the config to inspect it); returns what happened. */
async function check(path: string, env: Record<string, string>): Promise<{ error?: unknown; config?: ReturnType<typeof loadConfig>['config'] }> {
  try {
    await runCheck({ path, env });
    return { config: loadConfig({ path, env }).config };
  } catch (error) {
    return { error };
  }
}

/** The verdict on a refusal or a load: problems, and whether the hostile file got through. */
function judgeLoad(c: AdversarialCase<unknown>, outcome: { error?: unknown }, secrets: readonly string[]): { bypass: boolean; problems: string[] } {
  const want = expectedCode(c);
  const problems: string[] = [];
  let bypass = false;
  if (outcome.error === undefined) {
    if (want !== undefined) {
      bypass = true;
      problems.push(`expected ${want}, but the file was accepted`);
    }
    return { bypass, problems };
  }
  if (!isDataMcpError(outcome.error)) {
    bypass = true;
    problems.push(`crashed with ${outcome.error instanceof Error ? `${outcome.error.name}: ${outcome.error.message.slice(0, 200)}` : String(outcome.error)}`);
    return { bypass, problems };
  }
  const { code, message, hint } = outcome.error;
  if (code !== want) problems.push(`expected ${want ?? 'success'}, got ${code}: ${message.slice(0, 300)}`);
  for (const secret of secrets) {
    if (`${message}\n${hint}`.includes(secret)) {
      bypass = true;
      problems.push(`the message echoes the secret ${secret.slice(0, 6)}…`);
    }
  }
  if (/\n\s+at \S+ \(/.test(message)) problems.push('a stack trace in the message');
  return { bypass, problems };
}

describe('adversarial corpus: config files (data-mcp check)', () => {
  assertUniqueIds(CONFIG_CASES);

  it.for(rows(CONFIG_CASES))('%s', async ([, c], context) => {
    const dir = caseDir();
    for (const [name, content] of Object.entries(c.input.extra ?? {})) writeFileSync(join(dir, name), content);
    const path = typeof c.input.file === 'object' && 'missing' in c.input.file ? join(dir, 'missing.yaml') : writeConfig(dir, c.input.file);
    const outcome = await check(path, c.input.env ?? {});
    const verdict = judgeLoad(c, outcome, c.input.secrets ?? []);
    if (outcome.config && c.input.check) {
      const wrong = c.input.check(outcome.config);
      if (wrong) {
        verdict.bypass = true;
        verdict.problems.push(wrong);
      }
    }
    recordCase(context, c, verdict.bypass);
    expect(verdict.problems).toEqual([]);
  });
});

describe('adversarial corpus: policy folders', () => {
  assertUniqueIds(POLICY_CASES);

  it.for(rows(POLICY_CASES))('%s', async ([, c], context) => {
    const dir = caseDir();
    const policiesDir = join(dir, 'policies');
    writePolicies(policiesDir, c.input.files);
    if (c.input.stage === 'load') {
      const path = writeConfig(dir, `auth:\n  mode: none\n  default_service_account: a\n  service_accounts: [{ id: a, roles: [reader] }]\nconnectors:\n  demo: { kind: local, root: "{dir}" }\npolicies:\n  dir: "{dir}/policies"\n`);
      const verdict = judgeLoad(c, await check(path, {}), ['root:x:0:0']);
      recordCase(context, c, verdict.bypass);
      expect(verdict.problems).toEqual([]);
      return;
    }
    await runtimeCase(c, policiesDir, context);
  });
});

/** A policy set that loads but errors while evaluating: a real call must be denied and audited. */
async function runtimeCase(c: AdversarialCase<PolicyInput>, policiesDir: string, context: Parameters<typeof recordCase>[0]): Promise<void> {
  const h = await startHarness({ config: demoConfig(), policiesDir });
  try {
    const { verdict } = await attack(h, c, 'read_data', { connector: 'demo', path: 'orders.csv', limit: 1 });
    recordCase(context, c, verdict.bypass);
    expect(verdict.problems).toEqual([]);
  } finally {
    await h.close();
  }
}
