import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../helpers/harness.js';
import { auditCalls, demoConfig } from '../../tools/support.js';
import { assertUniqueIds, expectedCode, rows } from './case.js';
import { makeKit, TOKEN_CASES, type TokenInput, type TokenKit } from './token-cases.js';
import { attack, recordCase } from './verdict.js';

/**
 * Token attacks of the adversarial corpus: every case presents its token to a real server in
 * `auth.mode: token` and makes a mediated call (read_data on the demo folder). A refused token
 * is AUTH_REQUIRED, audited with no principal, and never echoed; an accepted one runs as exactly
 * the service account and roles it may have.
 */
const SECRET = 'adversarial-hs256-secret-0123456789abcdef-xyz';
const ISSUER = 'data-mcp-test';
const ACCOUNTS = [
  { id: 'alice', roles: ['reader'] },
  { id: 'bob', roles: ['reader', 'analyst'] },
];
const READ = { connector: 'demo', path: 'orders.csv', limit: 1 };

let kit: TokenKit;
let dir: string;
const servers: Partial<Record<'hs256' | 'ed25519', Harness>> = {};

function auth(keys: Record<string, unknown>, perCall: boolean): Record<string, unknown> {
  return { mode: 'token', keys, issuer: ISSUER, per_call_token: perCall, service_accounts: ACCOUNTS };
}

beforeAll(async () => {
  kit = makeKit(SECRET);
  dir = mkdtempSync(join(tmpdir(), 'data-mcp-adv-token-'));
  const pem = join(dir, 'ed25519.pub.pem');
  writeFileSync(pem, kit.edPublicPem);
  servers.hs256 = await startHarness({ config: demoConfig({ auth: auth({ hs256_secret_env: 'ADV_JWT_SECRET' }, true) }), env: { ADV_JWT_SECRET: SECRET } });
  servers.ed25519 = await startHarness({ config: demoConfig({ auth: auth({ ed25519_public_key_file: pem }, true) }) });
});

afterAll(async () => {
  for (const h of Object.values(servers)) await h.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The server for a case, and whether the test owns (and must close) it. */
async function serverFor(input: TokenInput, token: unknown): Promise<{ h: Harness; owned: boolean }> {
  if (input.server !== 'env') return { h: servers[input.server]!, owned: false };
  const h = await startHarness({
    config: demoConfig({ auth: auth({ hs256_secret_env: 'ADV_JWT_SECRET' }, false) }),
    env: { ADV_JWT_SECRET: SECRET, ...(typeof token === 'string' ? { DATA_MCP_TOKEN: token } : {}) },
  });
  return { h, owned: true };
}

describe('adversarial corpus: tokens', () => {
  assertUniqueIds(TOKEN_CASES);

  it.for(rows(TOKEN_CASES))('%s', async ([, c], context) => {
    const token = await c.input.mint(kit);
    const perCall = c.input.server === 'env' ? (c.input.perCall ? await c.input.perCall(kit) : undefined) : token;
    const { h, owned } = await serverFor(c.input, token);
    try {
      const meta = perCall === undefined ? undefined : { 'data-mcp/token': perCall };
      const secrets = [SECRET, ...[token, perCall].filter((t): t is string => typeof t === 'string' && t.length > 16)];
      const { result, verdict } = await attack(h, c, 'read_data', READ, { secrets, ...(meta ? { meta } : {}) });
      const problems = [...verdict.problems];
      let bypass = verdict.bypass;
      const record = auditCalls(h.auditPath).at(-1);
      if (expectedCode(c) !== undefined) {
        if (record?.principal !== null) {
          bypass = true;
          problems.push(`a refused token still bound a principal: ${JSON.stringify(record?.principal)}`);
        }
      } else if (!result.isError) {
        const who = { sa: record?.principal?.sa, roles: record?.principal?.roles };
        if (JSON.stringify(who) !== JSON.stringify(c.input.as)) {
          bypass = true;
          problems.push(`ran as ${JSON.stringify(who)}, expected ${JSON.stringify(c.input.as)}`);
        }
      }
      recordCase(context, c, bypass);
      expect(problems).toEqual([]);
    } finally {
      if (owned) await h.close();
    }
  });
});
