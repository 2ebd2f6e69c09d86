import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyEngine } from '../../../src/policy/engine.js';
import type { PolicyConfig } from '../../../src/policy/entities.js';
import { DataMcpError } from '../../../src/results/errors.js';

// The load-time context check runs once per distinct declared context type (not once per
// action): these cases prove an action with a context of its own is still checked.
const BUNDLED = new URL('../../../policies/', import.meta.url).pathname;
const SCHEMA = readFileSync(join(BUNDLED, 'schema.cedarschema'), 'utf8');
const ALLOW_ALL = '@id("allow-all")\npermit (principal, action, resource);\n';
const config: PolicyConfig = { server: { env: 'dev' }, connectors: { demo: { kind: 'local' } } };

/** The bundled schema with `admin` split out of the shared declaration, given its own context. */
function schemaWithAdminContext(context: string): string {
  const shared = SCHEMA.replace('gitops_commit, admin, upstream_call', 'gitops_commit, upstream_call');
  expect(shared).not.toBe(SCHEMA);
  const admin = `  action admin appliesTo { principal: [ServiceAccount], resource: [Connector, Location], context: ${context} };\n}`;
  return shared.replace(/\}\s*$/, admin);
}

const dirs: string[] = [];
function policyDir(schema: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-mcp-ctx-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'schema.cedarschema'), schema);
  writeFileSync(join(dir, 'a.cedar'), ALLOW_ALL);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('PolicyEngine.load context conformance', () => {
  it('refuses a schema whose one odd action declares a context the server does not build', async () => {
    const error = await PolicyEngine.load({ dir: policyDir(schemaWithAdminContext('{ env: String }')), config }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(DataMcpError);
    expect((error as DataMcpError).code).toBe('CONFIG_ERROR');
    expect((error as DataMcpError).message).toContain('context of action "admin"');
  });

  it('refuses a context field the server does not provide, declared for every action at once', async () => {
    const withExtra = SCHEMA.replace('agent: String,', 'agent: String,\n    ticket: String,');
    expect(withExtra).not.toBe(SCHEMA);
    await expect(PolicyEngine.load({ dir: policyDir(withExtra), config })).rejects.toThrow(/context of action "list"/);
  });

  it('accepts an action declared on its own with the shared context type', async () => {
    const engine = await PolicyEngine.load({ dir: policyDir(schemaWithAdminContext('Ctx')), config });
    const decision = engine.isAuthorized(
      { saId: 'sa', roles: [], attributes: {}, authMode: 'none', aws: { id: 'none' }, gcp: { id: 'none' } },
      { action: 'admin', resource: { type: 'Connector', connector: 'demo' } },
      { env: 'dev', now: new Date('2026-01-15T10:00:00Z'), tool: 'policy_explain', agent: 'test' },
    );
    expect(decision.allowed).toBe(true);
  });
});
