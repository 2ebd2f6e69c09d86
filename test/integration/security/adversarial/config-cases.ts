import type { Config } from '../../../../src/config/schema.js';
import { allow, refuse, type AdversarialCase } from './case.js';

/**
 * Malformed and hostile config files, run through `data-mcp check` (runCheck: loadConfig →
 * keys → policies → tools) exactly as an operator would. `{dir}` in the text is the case's temp
 * folder. A refusal is CONFIG_ERROR — never another exception, a hang, or a secret echoed in
 * the message; a hostile-but-valid file must load without the hostile part taking effect.
 */
export interface ConfigInput {
  /** The config file: text, raw bytes, or a special path. */
  file: string | Buffer | { directory: true } | { missing: true };
  env?: Record<string, string>;
  /** Extra files in the case folder (keys...), name → content. */
  extra?: Record<string, string>;
  /** For allowed cases: a problem with the loaded config, or undefined. */
  check?: (config: Config) => string | undefined;
  /** Values that must never appear in an error message. */
  secrets?: string[];
}

const CONNECTORS = 'connectors:\n  demo: { kind: local, root: "{dir}" }\n';
const NONE_AUTH = 'auth:\n  mode: none\n  default_service_account: reader-sa\n  service_accounts:\n    - { id: reader-sa, roles: [reader] }\n';
const TOKEN_AUTH = (keys: string) => `auth:\n  mode: token\n  keys: ${keys}\n  service_accounts:\n    - { id: reader-sa, roles: [reader] }\n`;
/** A valid config with `extra` YAML appended (or replacing a section when the caller builds its own). */
const valid = (extra = '') => `${NONE_AUTH}${CONNECTORS}${extra}`;

const DEEP = 4000;
const SECRET = 'hunter2-config-canary-secret-value-9f8e';

type Row = [name: string, input: ConfigInput, expect: 'CONFIG_ERROR' | 'allowed', why: string];

const ROWS: Row[] = [
  // Not YAML, or YAML the loader must refuse.
  ['not-yaml', { file: 'server: [unclosed\n  : : :' }, 'CONFIG_ERROR', 'a syntax error'],
  ['tab-indent', { file: `auth:\n\tmode: none\n${CONNECTORS}` }, 'CONFIG_ERROR', 'tabs are not YAML indentation'],
  ['duplicate-keys', { file: `${valid()}server:\n  read_only: true\nserver:\n  read_only: false\n` }, 'CONFIG_ERROR', 'a later duplicate must not silently override a control'],
  ['billion-laughs', { file: `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n${valid()}` }, 'CONFIG_ERROR', 'alias expansion bomb'],
  ['over-one-megabyte', { file: `${valid()}# ${'x'.repeat(1024 * 1024)}\n` }, 'CONFIG_ERROR', 'a huge file'],
  ['invalid-utf8', { file: Buffer.concat([Buffer.from(valid()), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('\n')]) }, 'CONFIG_ERROR', 'bytes that are not UTF-8'],
  ['nul-byte', { file: valid('server:\n  name: "a\u0000b"\n'), check: (c) => (c.server.name === 'a\u0000b' ? undefined : 'a NUL truncated a value') }, 'allowed', 'a NUL inside a string stays a character: nothing is cut at it'],
  ['empty-file', { file: '' }, 'CONFIG_ERROR', 'nothing at all'],
  ['top-level-list', { file: '- auth\n- connectors\n' }, 'CONFIG_ERROR', 'a list, not a mapping'],
  ['deep-nesting', { file: `${valid()}server:\n  name: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n` }, 'CONFIG_ERROR', 'nesting deep enough to overflow a recursive walker'],
  ['binary-tag', { file: valid('server:\n  name: !!binary aGVsbG8=\n') }, 'CONFIG_ERROR', 'a typed binary value where a string belongs'],
  ['merge-key', { file: `base: &base { read_only: false }\n${valid('server:\n  <<: *base\n')}` }, 'CONFIG_ERROR', 'merge keys are not applied: no hidden override'],
  // Typos and wrong types must not silently disable a control.
  ['unknown-top-level', { file: valid('polices: { dir: /tmp }\n') }, 'CONFIG_ERROR', 'a typo of policies'],
  ['unknown-nested', { file: valid('server:\n  readonly: false\n') }, 'CONFIG_ERROR', 'a typo of read_only'],
  ['read-only-string', { file: valid('server:\n  read_only: "false"\n') }, 'CONFIG_ERROR', 'no coercion of "false" to a boolean'],
  ['mode-case', { file: `auth:\n  mode: None\n  default_service_account: reader-sa\n  service_accounts: [{ id: reader-sa, roles: [reader] }]\n${CONNECTORS}` }, 'CONFIG_ERROR', 'auth modes compared exactly'],
  ['unknown-toolset', { file: valid('server:\n  toolsets: [catalog, root-shell]\n') }, 'CONFIG_ERROR', 'an unknown toolset'],
  ['fsync-never', { file: valid('audit:\n  fsync: never\n') }, 'CONFIG_ERROR', 'weakening the audit is not an option'],
  ['budget-huge', { file: valid('server:\n  result_budget: { max_rows: 1000000000 }\n') }, 'CONFIG_ERROR', 'over the result-budget ceiling'],
  ['statement-timeout-zero', { file: `${NONE_AUTH}connectors:\n  db: { kind: postgres, host: 127.0.0.1, database: test, user: postgres, statement_timeout_ms: 0 }\n` }, 'CONFIG_ERROR', 'no statement timeout'],
  ['short-handle-secret', { file: valid('server:\n  handle_secret: short\n') }, 'CONFIG_ERROR', 'a guessable handle key'],
  ['no-connectors', { file: `${NONE_AUTH}connectors: {}\n` }, 'CONFIG_ERROR', 'nothing to serve'],
  ['constructor-key', { file: valid('constructor:\n  prototype: { admin: true }\n') }, 'CONFIG_ERROR', 'the prototype-pollution shape'],
  ['proto-top-level', { file: `__proto__:\n  server: { read_only: false }\n${valid()}` }, 'CONFIG_ERROR', 'an own __proto__ key is an unknown key, not inherited settings'],
  ['proto-nested', { file: valid('server:\n  __proto__: { read_only: false }\n') }, 'CONFIG_ERROR', 'an own __proto__ key inside a section'],
  ['proto-connector', { file: `${NONE_AUTH}connectors:\n  __proto__: { kind: local, root: "{dir}" }\n` }, 'CONFIG_ERROR', 'a prototype key as a connector name'],
  // Identity: names that would smuggle Cedar or paths.
  ['none-without-sa', { file: `auth:\n  mode: none\n  service_accounts: [{ id: reader-sa, roles: [reader] }]\n${CONNECTORS}` }, 'CONFIG_ERROR', 'mode none must name its account'],
  ['none-undeclared-sa', { file: `auth:\n  mode: none\n  default_service_account: root\n  service_accounts: [{ id: reader-sa, roles: [reader] }]\n${CONNECTORS}` }, 'CONFIG_ERROR', 'mode none bound to an undeclared account'],
  ['duplicate-sa', { file: `auth:\n  mode: none\n  default_service_account: a\n  service_accounts: [{ id: a, roles: [reader] }, { id: a, roles: [admin] }]\n${CONNECTORS}` }, 'CONFIG_ERROR', 'a second definition widening the first'],
  ['sa-traversal', { file: `auth:\n  mode: none\n  default_service_account: ../admin\n  service_accounts: [{ id: ../admin, roles: [reader] }]\n${CONNECTORS}` }, 'CONFIG_ERROR', 'a path as an account id'],
  ['role-cedar-injection', { file: `auth:\n  mode: none\n  default_service_account: a\n  service_accounts: [{ id: a, roles: ['reader"); permit(principal, action, resource);//'] }]\n${CONNECTORS}` }, 'CONFIG_ERROR', 'Cedar text in a role name'],
  ['token-without-keys', { file: `${TOKEN_AUTH('{}')}${CONNECTORS}` }, 'CONFIG_ERROR', 'token mode that can verify nothing'],
  // Keys and secrets: refused without echoing them.
  ['secret-as-env-name', { file: `${TOKEN_AUTH(`{ hs256_secret_env: "${SECRET}" }`)}${CONNECTORS}`, secrets: [SECRET] }, 'CONFIG_ERROR', 'a literal secret where a variable name belongs'],
  ['hs256-unset', { file: `${TOKEN_AUTH('{ hs256_secret_env: ADV_UNSET_SECRET }')}${CONNECTORS}` }, 'CONFIG_ERROR', 'the secret variable is not set'],
  ['hs256-short', { file: `${TOKEN_AUTH('{ hs256_secret_env: ADV_SHORT }')}${CONNECTORS}`, env: { ADV_SHORT: 'tooshort-secret' }, secrets: ['tooshort-secret'] }, 'CONFIG_ERROR', 'a brute-forceable HMAC secret'],
  ['ed25519-not-a-key', { file: `${TOKEN_AUTH('{ ed25519_public_key_file: "{dir}/key.pem" }')}${CONNECTORS}`, extra: { 'key.pem': `not a key ${SECRET}` }, secrets: [SECRET] }, 'CONFIG_ERROR', 'garbage as a key file, not echoed'],
  ['ed25519-is-passwd', { file: `${TOKEN_AUTH('{ ed25519_public_key_file: /etc/passwd }')}${CONNECTORS}`, secrets: ['root:x:0:0'] }, 'CONFIG_ERROR', 'a system file as a key, not echoed'],
  ['ed25519-missing', { file: `${TOKEN_AUTH('{ ed25519_public_key_file: "{dir}/nope.pem" }')}${CONNECTORS}` }, 'CONFIG_ERROR', 'a key file that does not exist'],
  ['redis-password-bad-scheme', { file: valid(`cache:\n  redis_url: "http://user:${SECRET}@127.0.0.1:6379"\n`), secrets: [SECRET] }, 'CONFIG_ERROR', 'a credential in a refused URL is not echoed'],
  ['env-secret-in-invalid-config', { file: valid('cache:\n  redis_url: "redis://:${ADV_REDIS_PASS}@127.0.0.1:6379"\nserver:\n  toolsets: [nope]\n'), env: { ADV_REDIS_PASS: SECRET }, secrets: [SECRET] }, 'CONFIG_ERROR', 'an interpolated secret is not echoed by an unrelated error'],
  ['env-missing', { file: valid('server:\n  name: "${ADV_NOT_SET}"\n') }, 'CONFIG_ERROR', 'a required variable that is not set'],
  ['config-is-directory', { file: { directory: true } }, 'CONFIG_ERROR', 'a folder as the config file'],
  ['config-missing', { file: { missing: true } }, 'CONFIG_ERROR', 'a config file that does not exist'],
  ['policies-dir-missing', { file: valid('policies:\n  dir: "{dir}/no-such-policies"\n') }, 'CONFIG_ERROR', 'policies that cannot be read stop the start'],
  // Hostile but valid: loads, and the hostile part does nothing.
  [
    'env-injects-yaml',
    { file: valid('server:\n  name: "${ADV_EVIL}"\n'), env: { ADV_EVIL: 'x\nauth:\n  mode: token\nserver:\n  read_only: false' }, check: (c) => (c.server.read_only === true && c.auth.mode === 'none' && c.server.name.startsWith('x\nauth:') ? undefined : 'the env value became YAML structure') },
    'allowed',
    'an environment value is a string, never YAML',
  ],
  ['env-no-recursion', { file: valid('server:\n  name: "${ADV_OUTER}"\n'), env: { ADV_OUTER: '${ADV_INNER}', ADV_INNER: 'expanded' }, check: (c) => (c.server.name === '${ADV_INNER}' ? undefined : `expanded twice: ${c.server.name}`) }, 'allowed', 'interpolation is one pass'],
  ['dollar-escape', { file: valid('server:\n  name: "$${HOME}"\n'), check: (c) => (c.server.name === '${HOME}' ? undefined : `escape not honoured: ${c.server.name}`) }, 'allowed', '$${ stays literal'],
  ['js-function-tag', { file: valid('server:\n  name: !js/function "function () { process.exit(1) }"\n'), check: () => undefined }, 'CONFIG_ERROR', 'an unknown tag never runs code, nor turns into a value the operator did not mean'],
  ['bom', { file: `\ufeff${valid()}`, check: (c) => (c.auth.mode === 'none' ? undefined : 'BOM changed the parse') }, 'allowed', 'a byte-order mark is harmless'],
  ['few-aliases', { file: `${NONE_AUTH}x-root: &root "{dir}"\nconnectors:\n  demo: { kind: local, root: *root }\n`, check: () => undefined }, 'CONFIG_ERROR', 'an unknown top-level key, even one used only for an anchor'],
];

export const CONFIG_CASES: Array<AdversarialCase<ConfigInput>> = ROWS.map(([name, input, expect, why]) => ({
  id: `config/${name}`,
  category: 'config',
  input,
  expect: expect === 'allowed' ? allow('loads; the hostile part has no effect') : refuse('CONFIG_ERROR'),
  why,
}));
