import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/identity/principal.js';
import { PolicyEngine } from '../../../src/policy/engine.js';
import { EntityBuilder, type PolicyConfig } from '../../../src/policy/entities.js';
import { fullCedarContext } from '../../../src/policy/request-context.js';
import type { AuthzContext, AuthzRequest } from '../../../src/policy/types.js';
import { DataMcpError } from '../../../src/results/errors.js';

const BUNDLED = new URL('../../../policies/', import.meta.url).pathname;
const SCHEMA = readFileSync(join(BUNDLED, 'schema.cedarschema'), 'utf8');

const config: PolicyConfig = {
  server: { env: 'dev' },
  connectors: {
    lake: { kind: 's3', env: 'dev', annotations: { 'reports/': { classification: 'restricted' }, 'finance/': { department: 'finance' } } },
    demo: { kind: 'local' },
  },
};

function principal(roles: string[], attributes: Principal['attributes'] = {}, saId = 'sa'): Principal {
  return { saId, roles, attributes, authMode: 'token', aws: { id: 'none' }, gcp: { id: 'none' } };
}

const ctx = (over: Partial<AuthzContext> = {}): AuthzContext => ({ env: 'dev', now: new Date('2026-01-15T10:00:00Z'), tool: 'read_data', agent: 'test', ...over });
const read = (connector: string, path?: string): AuthzRequest => ({
  action: 'read',
  resource: path === undefined ? { type: 'Connector', connector } : { type: 'Location', connector, path },
});

const dirs: string[] = [];
function policyDir(files: Record<string, string>, schema = SCHEMA): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-mcp-policy-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'schema.cedarschema'), schema);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function loadError(dir: string): Promise<DataMcpError> {
  try {
    await PolicyEngine.load({ dir, config });
  } catch (err) {
    expect(err).toBeInstanceOf(DataMcpError);
    expect((err as DataMcpError).code).toBe('CONFIG_ERROR');
    return err as DataMcpError;
  }
  throw new Error('expected the load to fail');
}

const ALLOW_ALL = '@id("allow-all")\npermit (principal, action, resource);\n';

describe('PolicyEngine.load', () => {
  it('loads the bundled policies with their @id names and a short version', async () => {
    const engine = await PolicyEngine.load({ dir: BUNDLED, config });
    expect(engine.version).toMatch(/^[0-9a-f]{16}$/);
    expect(engine.policyIds).toContain('reader-read-unrestricted');
    expect(engine.policyIds).toContain('demo-data-is-read-only');
  });

  it('names unannotated policies <file>:<index> in file order, beyond ten policies', async () => {
    const body = Array.from({ length: 12 }, (_, i) => `permit (principal, action, resource) when { context.hour == ${i} };`).join('\n');
    const engine = await PolicyEngine.load({ dir: policyDir({ 'hours.cedar': body }), config });
    expect(engine.policyIds).toEqual(Array.from({ length: 12 }, (_, i) => `hours.cedar:${i}`));
    const at11 = engine.explain(principal([]), read('demo'), ctx({ now: new Date('2026-01-15T11:30:00Z') }));
    expect(at11.policies).toEqual(['hours.cedar:11']);
    expect(at11.determining[0]).toMatchObject({ file: 'hours.cedar', line: 12, effect: 'permit' });
    expect(at11.determining[0]!.text).toContain('context.hour == 11');
  });

  it('refuses a policy that fails strict validation, naming the file and the policy', async () => {
    const err = await loadError(policyDir({ 'a.cedar': ALLOW_ALL, 'bad.cedar': '\n\n@id("peek")\npermit (principal, action, resource) when { resource.getTag("owner") == "x" };\n' }));
    expect(err.message).toMatch(/bad\.cedar:4:\d+/);
    expect(err.message).toContain('"peek"');
    expect(err.message).toMatch(/tag/);
    expect(err.message).toContain('hasTag');
    // Cedar reports it per resource type (Connector, Location), not once per action (12).
    expect(err.message.split('\n').filter((l) => l.includes('bad.cedar')).length).toBe(2);
  });

  it('refuses a policy that reads an undeclared attribute', async () => {
    const err = await loadError(policyDir({ 'typo.cedar': 'permit (principal, action, resource) when { context.enviroment == "prod" };' }));
    expect(err.message).toContain('typo.cedar:1:');
    expect(err.message).toContain('enviroment');
  });

  it('refuses a syntax error, naming the file and line', async () => {
    const err = await loadError(policyDir({ 'ok.cedar': ALLOW_ALL, 'broken.cedar': '// comment\npermit (principal, action resource);\n' }));
    expect(err.message).toMatch(/broken\.cedar:2:\d+/);
    expect(err.message).toContain('does not parse');
  });

  it('refuses a missing schema, an unparsable schema, and a schema without the actions', async () => {
    const noSchema = policyDir({ 'a.cedar': ALLOW_ALL });
    rmSync(join(noSchema, 'schema.cedarschema'));
    expect((await loadError(noSchema)).message).toMatch(/schema\.cedarschema.*ENOENT/);
    expect((await loadError(policyDir({ 'a.cedar': ALLOW_ALL }, 'namespace DataMcp { entity }'))).message).toMatch(/schema\.cedarschema:1:\d+/);
    const withoutAdmin = SCHEMA.replace('gitops_commit, admin, upstream_call', 'gitops_commit, upstream_call');
    expect((await loadError(policyDir({ 'a.cedar': ALLOW_ALL }, withoutAdmin))).message).toContain('does not declare the actions admin');
  });

  it('refuses a schema that does not match the entities the server builds', async () => {
    const noTags = SCHEMA.replace(/(entity Location in \[Location, Connector\] = \{[^}]*\}) tags String;/, '$1;');
    expect(noTags).not.toBe(SCHEMA);
    expect((await loadError(policyDir({ 'a.cedar': ALLOW_ALL }, noTags))).message).toMatch(/does not match what data-mcp builds.*tag/);
  });

  it('refuses a folder without policies, duplicate ids and templates', async () => {
    expect((await loadError(policyDir({}))).message).toContain('no *.cedar policy files');
    expect((await loadError(policyDir({ 'a.cedar': ALLOW_ALL, 'b.cedar': ALLOW_ALL }))).message).toMatch(/duplicate policy id "allow-all" in a\.cedar:1 and b\.cedar:1/);
    expect((await loadError(policyDir({ 't.cedar': 'permit (principal == ?principal, action, resource);' }))).message).toContain('templates');
  });

  it('changes version when a policy changes', async () => {
    const dir = policyDir({ 'a.cedar': ALLOW_ALL });
    const first = await PolicyEngine.load({ dir, config });
    const again = await PolicyEngine.load({ dir, config });
    writeFileSync(join(dir, 'a.cedar'), `${ALLOW_ALL}forbid (principal, action == DataMcp::Action::"delete", resource);\n`);
    const changed = await PolicyEngine.load({ dir, config });
    expect(again.version).toBe(first.version);
    expect(changed.version).not.toBe(first.version);
    // Both versions stay usable side by side (pre-parsed per version).
    const del: AuthzRequest = { action: 'delete', resource: { type: 'Connector', connector: 'demo' } };
    expect(first.isAuthorized(principal([]), del, ctx()).allowed).toBe(true);
    expect(changed.isAuthorized(principal([]), del, ctx()).allowed).toBe(false);
  });
});

describe('PolicyEngine decisions', () => {
  it('denies on any evaluation error, even when another policy permits', async () => {
    const overflow = '@id("overflow")\npermit (principal, action, resource) when { context.hour * 9223372036854775807 > 0 };\n';
    const engine = await PolicyEngine.load({ dir: policyDir({ 'a.cedar': ALLOW_ALL, 'b.cedar': overflow }), config });
    expect(engine.isAuthorized(principal([]), read('demo'), ctx({ now: new Date('2026-01-15T00:10:00Z') })).allowed).toBe(true);
    const decision = engine.isAuthorized(principal([]), read('demo'), ctx({ now: new Date('2026-01-15T05:00:00Z') }));
    expect(decision.allowed).toBe(false);
    expect(decision.errors.join()).toMatch(/policy "overflow": integer overflow/);
    // Errors are not memoized.
    expect(engine.isAuthorized(principal([]), read('demo'), ctx({ now: new Date('2026-01-15T05:00:00Z') })).memoized).toBe(false);
  });

  it('denies unknown connectors, non-canonical paths, unknown actions and invalid dates with an error', async () => {
    const engine = await PolicyEngine.load({ dir: policyDir({ 'a.cedar': ALLOW_ALL }), config });
    const p = principal([]);
    expect(engine.isAuthorized(p, read('nope'), ctx())).toMatchObject({ allowed: false, errors: [expect.stringMatching(/Unknown connector/)] });
    expect(engine.isAuthorized(p, read('lake', '../etc/passwd'), ctx())).toMatchObject({ allowed: false, errors: [expect.stringMatching(/"\.\." segment/)] });
    expect(engine.isAuthorized(p, { action: 'drop_table' as never, resource: { type: 'Connector', connector: 'lake' } }, ctx()).allowed).toBe(false);
    expect(engine.isAuthorized(p, read('lake'), ctx({ now: new Date('garbage') })).allowed).toBe(false);
  });

  it('memoizes: a hit returns the same decision flagged memoized', async () => {
    const engine = await PolicyEngine.load({ dir: BUNDLED, config });
    const reader = principal(['reader']);
    const first = engine.isAuthorized(reader, read('lake', 'sales/q1.csv'), ctx());
    const second = engine.isAuthorized(reader, read('lake', 'sales/q1.csv'), ctx({ now: new Date('2026-01-15T10:45:00Z') }));
    expect(first).toEqual({ allowed: true, policies: ['reader-read-unrestricted'], errors: [], memoized: false });
    expect(second).toEqual({ ...first, memoized: true });
    // The key separates principals (roles, attributes), resources and observed context fields.
    expect(engine.isAuthorized(principal(['writer']), read('lake', 'sales/q1.csv'), ctx())).toMatchObject({ allowed: false, memoized: false });
    expect(engine.isAuthorized(principal(['reader'], { disabled: true }), read('lake', 'sales/q1.csv'), ctx())).toMatchObject({ allowed: false, memoized: false });
    expect(engine.isAuthorized(reader, read('lake', 'reports/q1.csv'), ctx())).toMatchObject({ allowed: false, memoized: false });
    const write: AuthzRequest = { action: 'write', resource: { type: 'Location', connector: 'lake', path: 'x.csv' } };
    expect(engine.isAuthorized(principal(['writer']), write, ctx()).allowed).toBe(true);
    expect(engine.isAuthorized(principal(['writer']), write, ctx({ env: 'prod' }))).toMatchObject({ allowed: false, memoized: false });
  });

  it('keys on the minute of `now` only when a policy reads context.now', async () => {
    const night = '@id("not-after-2030")\nforbid (principal, action, resource) when { context.now >= datetime("2030-01-01T00:00:00Z") };\n';
    const engine = await PolicyEngine.load({ dir: policyDir({ 'a.cedar': ALLOW_ALL, 'b.cedar': night }), config });
    const p = principal([]);
    expect(engine.isAuthorized(p, read('demo'), ctx({ now: new Date('2029-12-31T23:59:10Z') }))).toMatchObject({ allowed: true, memoized: false });
    expect(engine.isAuthorized(p, read('demo'), ctx({ now: new Date('2029-12-31T23:59:50Z') }))).toMatchObject({ allowed: true, memoized: true });
    expect(engine.isAuthorized(p, read('demo'), ctx({ now: new Date('2030-01-01T00:00:05Z') }))).toMatchObject({ allowed: false, memoized: false });
  });

  it('authorizeAll allows only when every request allows', async () => {
    const engine = await PolicyEngine.load({ dir: BUNDLED, config });
    const reader = principal(['reader']);
    const ok = engine.authorizeAll(reader, [read('lake', 'a.csv'), read('lake', 'b/')], ctx());
    expect(ok.allowed).toBe(true);
    expect(ok.decisions).toHaveLength(2);
    const mixed = engine.authorizeAll(reader, [read('lake', 'a.csv'), read('lake', 'reports/x.csv')], ctx());
    expect(mixed.allowed).toBe(false);
    expect(mixed.decisions.map((d) => [d.resource, d.allowed])).toEqual([
      [{ type: 'Location', connector: 'lake', path: 'a.csv' }, true],
      [{ type: 'Location', connector: 'lake', path: 'reports/x.csv' }, false],
    ]);
    expect(engine.authorizeAll(reader, [], ctx()).allowed).toBe(false);
  });

  it('explain returns the determining policies with their source, never memoized', async () => {
    const engine = await PolicyEngine.load({ dir: BUNDLED, config });
    const p = principal(['writer'], {}, 'w');
    engine.isAuthorized(p, { action: 'write', resource: { type: 'Location', connector: 'demo', path: 'x.csv' } }, ctx());
    const why = engine.explain(p, { action: 'write', resource: { type: 'Location', connector: 'demo', path: 'x.csv' } }, ctx());
    expect(why).toMatchObject({ allowed: false, memoized: false, policies: ['demo-data-is-read-only'] });
    expect(why.determining).toEqual([expect.objectContaining({ id: 'demo-data-is-read-only', effect: 'forbid', file: 'demo.cedar' })]);
    expect(why.determining[0]!.text).toContain('resource in DataMcp::Connector::"demo"');
  });

  it('decides exactly like full Cedar evaluation with the schema and the whole Location chain', async () => {
    const engine = await PolicyEngine.load({ dir: BUNDLED, config });
    const policies = Object.fromEntries(
      ['base.cedar', 'demo.cedar'].flatMap((f) => {
        const parts = cedar.policySetTextToParts(readFileSync(join(BUNDLED, f), 'utf8'));
        if (parts.type !== 'success') throw new Error('parse');
        return parts.policies.map((text) => {
          const json = cedar.policyToJson(text);
          return [json.type === 'success' ? json.json.annotations?.id : text, text];
        });
      }),
    );
    const builder = new EntityBuilder(config);
    const principals = [principal(['reader']), principal(['analyst'], { department: 'finance' }), principal(['writer', 'prod-writer']), principal(['admin'], { disabled: 'true' })];
    const requests: AuthzRequest[] = [
      read('lake'),
      read('lake', 'finance/2026/x.csv'),
      read('lake', 'reports/a/b/c.csv'),
      { action: 'write', resource: { type: 'Location', connector: 'lake', path: 'out/x.csv' } },
      { action: 'admin', resource: { type: 'Connector', connector: 'demo' } },
      { action: 'deliver', resource: { type: 'Location', connector: 'demo', path: 'a/' } },
    ];
    for (const p of principals) {
      for (const request of requests) {
        for (const env of ['dev', 'prod']) {
          const slice = builder.resource(request.resource);
          const full = cedar.isAuthorized({
            principal: { type: 'DataMcp::ServiceAccount', id: p.saId },
            action: { type: 'DataMcp::Action', id: request.action },
            resource: slice.uid,
            context: fullCedarContext(ctx({ env })),
            schema: SCHEMA,
            validateRequest: true,
            policies: { staticPolicies: policies },
            entities: [builder.principalEntity(p), ...builder.roleEntities(p.roles), ...slice.entities],
          });
          if (full.type !== 'success') throw new Error(JSON.stringify(full.errors));
          const ours = engine.explain(p, request, ctx({ env }));
          expect({ p: p.roles, request, env, allowed: ours.allowed, policies: [...ours.policies].sort() }).toEqual({
            p: p.roles,
            request,
            env,
            allowed: full.response.decision === 'allow',
            policies: [...full.response.diagnostics.reason].sort(),
          });
        }
      }
    }
  });
});

describe('bundled policy folder', () => {
  it('can be copied and loaded from elsewhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-mcp-bundled-'));
    dirs.push(dir);
    cpSync(BUNDLED, dir, { recursive: true });
    const engine = await PolicyEngine.load({ dir, config });
    expect(engine.version).toBe((await PolicyEngine.load({ dir: BUNDLED, config })).version);
  });
});
