import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DEMO_DATA_DIR } from '../../../../src/config/paths.js';
import { startHarness, type Harness } from '../../../helpers/harness.js';
import { ARGUMENT_CASES } from './argument-cases.js';
import { assertUniqueIds, expectedCode, rows } from './case.js';
import { treeFingerprint } from './fs-snapshot.js';
import { attack, recordCase } from './verdict.js';

/**
 * Oversize, deeply nested and type-confused arguments of the adversarial corpus. `demo` is the
 * bundled demo folder marked `env: prod` (so the writer role may not write there); `scratch` is
 * an empty folder the SA may write to. Every refused case must leave both untouched, and no
 * case may pollute Object.prototype in the server process (the test runs in the same process).
 */
let base: string;
let scratch: string;
let h: Harness;

function polluted(): string[] {
  const probe = {} as Record<string, unknown>;
  return ['polluted', 'admin', 'limit', 'isAdmin'].filter((k) => probe[k] !== undefined);
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'data-mcp-adv-args-'));
  scratch = join(base, 'scratch');
  mkdirSync(join(scratch, 'out'), { recursive: true });
  h = await startHarness({
    config: {
      server: { env: 'dev', toolsets: ['catalog', 'data'], read_only: false },
      auth: { mode: 'none', default_service_account: 'agent', service_accounts: [{ id: 'agent', roles: ['reader', 'writer'] }] },
      connectors: {
        demo: { kind: 'local', root: BUNDLED_DEMO_DATA_DIR, env: 'prod' },
        scratch: { kind: 'local', root: scratch },
      },
    },
  });
});

afterAll(async () => {
  await h?.close();
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('adversarial corpus: oversize, nested and confused arguments', () => {
  assertUniqueIds(ARGUMENT_CASES);

  it.for(rows(ARGUMENT_CASES))('%s', async ([, c], context) => {
    const before = [treeFingerprint(scratch), treeFingerprint(BUNDLED_DEMO_DATA_DIR)];
    const args = await c.input.args(h);
    const { result, verdict } = await attack(h, c, c.input.tool, args);
    const after = [treeFingerprint(scratch), treeFingerprint(BUNDLED_DEMO_DATA_DIR)];
    const problems = [...verdict.problems];
    let bypass = verdict.bypass;
    const effect = (what: string) => {
      bypass = true;
      problems.push(what);
    };
    if (expectedCode(c) !== undefined && after[0] !== before[0]) effect('a refused call wrote to scratch');
    if (after[1] !== before[1]) effect('the read-only demo folder changed');
    if (!result.isError && c.input.check) {
      const wrong = c.input.check(result.structuredContent ?? {});
      if (wrong) effect(wrong);
    }
    const pollution = polluted();
    if (pollution.length > 0) effect(`Object.prototype was polluted: ${pollution.join(', ')}`);
    recordCase(context, c, bypass);
    expect(problems).toEqual([]);
  });

  it('the server still answers a normal call after the corpus', async () => {
    const result = await h.call('read_data', { connector: 'demo', path: 'orders.csv', limit: 1 });
    expect(result.isError).toBeFalsy();
  });
});
