import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_POLICIES_DIR } from '../../../../src/config/paths.js';
import { allow, refuse, type AdversarialCase } from './case.js';

/**
 * Malformed and hostile policy folders. `load` cases run `data-mcp check` (runCheck) over a
 * config whose policies.dir is the case folder: the server must refuse to start (CONFIG_ERROR),
 * never crash or start on a set it could not fully check. `runtime` cases start a real server
 * on a folder that validates but whose policies fail while evaluating: the call must be denied
 * (fail closed), even though Cedar itself would ignore an erroring `forbid` and allow.
 */
export type PolicyFile = string | Buffer | { directory: true } | { symlink: string };

export interface PolicyInput {
  stage: 'load' | 'runtime';
  /** File name → content, in the policy folder. */
  files: Record<string, PolicyFile>;
}

export const SCHEMA = readFileSync(join(BUNDLED_POLICIES_DIR, 'schema.cedarschema'), 'utf8');
const READER = '@id("reader-read")\npermit (principal in DataMcp::Role::"reader", action == DataMcp::Action::"read", resource);\n';
const PERMIT_ALL = '@id("permit-all")\npermit (principal, action, resource);\n';
/** The bundled schema with one edit. */
const schemaWith = (from: string, to: string) => {
  if (!SCHEMA.includes(from)) throw new Error(`schema fixture: "${from}" not found`);
  return SCHEMA.replace(from, to);
};
const withSchema = (files: Record<string, PolicyFile>) => ({ 'schema.cedarschema': SCHEMA, ...files });

type Row = [name: string, stage: PolicyInput['stage'], files: Record<string, PolicyFile>, why: string];

const ROWS: Row[] = [
  ['empty-folder', 'load', {}, 'no schema, no policies'],
  ['schema-only', 'load', { 'schema.cedarschema': SCHEMA }, 'no policy at all would deny everything silently'],
  ['schema-syntax', 'load', { 'schema.cedarschema': 'namespace DataMcp { entity', 'p.cedar': READER }, 'a schema that does not parse'],
  ['schema-missing-action', 'load', { 'schema.cedarschema': schemaWith(', upstream_call', ''), 'p.cedar': READER }, 'an action the server uses is undeclared'],
  ['schema-wrong-namespace', 'load', { 'schema.cedarschema': SCHEMA.replace('namespace DataMcp', 'namespace Other'), 'p.cedar': READER }, 'the schema of another application'],
  ['schema-drops-attribute', 'load', { 'schema.cedarschema': schemaWith('    env: String,\n    kind: String,  // "prefix"', '    kind: String,  // "prefix"'), 'p.cedar': READER }, 'the server sends attributes the schema does not declare'],
  ['schema-is-directory', 'load', { 'schema.cedarschema': { directory: true }, 'p.cedar': READER }, 'a folder where the schema belongs'],
  ['policy-syntax', 'load', withSchema({ 'p.cedar': 'permit (principal, action resource);' }), 'a policy that does not parse'],
  ['block-comment', 'load', withSchema({ 'p.cedar': `/* disabled */ ${PERMIT_ALL}` }), 'C comments are not Cedar'],
  ['unknown-attribute', 'load', withSchema({ 'p.cedar': 'permit (principal, action, resource) when { resource.owner == "x" };' }), 'strict validation: an attribute that does not exist'],
  ['unknown-context', 'load', withSchema({ 'p.cedar': 'permit (principal, action, resource) when { context.ip == "10.0.0.1" };' }), 'strict validation: context the server never sends'],
  ['unknown-action', 'load', withSchema({ 'p.cedar': 'permit (principal, action == DataMcp::Action::"root", resource);' }), 'an action that does not exist'],
  ['unknown-entity-type', 'load', withSchema({ 'p.cedar': 'permit (principal == DataMcp::Admin::"x", action, resource);' }), 'an entity type that does not exist'],
  ['type-error', 'load', withSchema({ 'p.cedar': 'permit (principal, action, resource) when { 1 + "a" == 2 };' }), 'a policy that cannot type-check'],
  ['template', 'load', withSchema({ 'p.cedar': 'permit (principal == ?principal, action, resource);' }), 'templates are never linked'],
  ['duplicate-id', 'load', withSchema({ 'a.cedar': READER, 'b.cedar': READER.replace('"read"', '"list"') }), 'two policies under one id'],
  ['deep-expression', 'load', withSchema({ 'p.cedar': `permit (principal, action, resource) when { ${'('.repeat(20_000)}true${')'.repeat(20_000)} };` }), 'parser recursion'],
  ['long-and-chain', 'load', withSchema({ 'p.cedar': `permit (principal, action, resource) when { ${Array(50_000).fill('true').join(' && ')} };` }), 'a flat chain that parses into a very deep tree'],
  ['long-sum', 'load', withSchema({ 'p.cedar': `permit (principal, action, resource) when { ${Array(10_000).fill('1').join(' + ')} > 0 };` }), 'a 10 000-term sum: a left-deep tree'],
  ['nested-if', 'load', withSchema({ 'p.cedar': `permit (principal, action, resource) when { ${'if true then '.repeat(1000)}true${' else false'.repeat(1000)} };` }), '1 000 nested if-then-else without a bracket'],
  ['member-chain', 'load', withSchema({ 'p.cedar': `permit (principal, action, resource) when { principal${'.a'.repeat(10_000)} == 1 };` }), 'a 10 000-step attribute chain'],
  ['schema-deep-record', 'load', { 'schema.cedarschema': schemaWith('    id: String,\n', `    id: String,\n    deep: ${'{ a: '.repeat(5000)}String${' }'.repeat(5000)},\n`), 'p.cedar': READER }, 'a schema type nested thousands deep'],
  ['nul-byte', 'load', withSchema({ 'p.cedar': `${READER}\u0000` }), 'a NUL in a policy file'],
  ['binary-file', 'load', withSchema({ 'p.cedar': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) }), 'bytes that are not text'],
  ['huge-garbage', 'load', withSchema({ 'p.cedar': 'permit ('.repeat(400_000) }), 'megabytes of unbalanced input'],
  ['policy-is-directory', 'load', withSchema({ 'p.cedar': READER, 'evil.cedar': { directory: true } }), 'a folder named like a policy file'],
  ['symlink-to-passwd', 'load', withSchema({ 'p.cedar': READER, 'evil.cedar': { symlink: '/etc/passwd' } }), 'a policy file that is a system file'],
  ['get-tag-unguarded', 'load', withSchema({ 'p.cedar': PERMIT_ALL, 'f.cedar': '@id("f")\nforbid (principal, action, resource) when { resource.getTag("classification") == "restricted" };' }), 'strict validation refuses an unguarded tag read'],
  ['forbid-overflows', 'runtime', withSchema({ 'p.cedar': PERMIT_ALL, 'f.cedar': '@id("f-overflow")\nforbid (principal, action, resource) when { (context.hour + 9223372036854775807) + 1 < 0 };' }), 'a forbid that always errors must not turn into an allow'],
  ['forbid-constant-overflow', 'runtime', withSchema({ 'p.cedar': PERMIT_ALL, 'f.cedar': '@id("f-constant")\nforbid (principal, action, resource) when { 9223372036854775807 + 1 < 0 };' }), 'a forbid that errors on constants'],
  ['forbid-datetime-overflow', 'runtime', withSchema({ 'p.cedar': PERMIT_ALL, 'f.cedar': '@id("f-datetime")\nforbid (principal, action, resource) when { context.now.offset(duration("106751990000d")) < context.now };' }), 'a forbid whose datetime arithmetic overflows'],
  // Control: the same folder shape with a forbid that is simply false allows, so the denials above come from failing closed.
  ['control-forbid-false', 'runtime', withSchema({ 'p.cedar': PERMIT_ALL, 'f.cedar': '@id("f-false")\nforbid (principal, action, resource) when { context.hour < 0 };' }), 'control: a valid, false forbid does not deny'],
];

export const POLICY_CASES: Array<AdversarialCase<PolicyInput>> = ROWS.map(([name, stage, files, why]) => ({
  id: `policy/${stage}/${name}`,
  category: 'policy',
  input: { stage, files },
  // Each erroring forbid's condition is false whenever it evaluates: only failing closed denies.
  expect: name.startsWith('control-') ? allow('the read runs') : refuse(stage === 'load' ? 'CONFIG_ERROR' : 'POLICY_DENIED'),
  why,
}));
