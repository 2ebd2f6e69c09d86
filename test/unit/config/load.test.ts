import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, validate } from '../../../src/config/load.js';
import { BUNDLED_DEMO_DATA_DIR, BUNDLED_POLICIES_DIR, PACKAGE_ROOT } from '../../../src/config/paths.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { scrubText } from '../../../src/results/scrub.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-mcp-config-test-'));
  dirs.push(dir);
  return dir;
}

function writeConfig(text: string | Buffer, name = 'config.yaml'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

const MINIMAL = `
auth:
  mode: none
  default_service_account: reader-sa
  service_accounts:
    - id: reader-sa
      roles: [reader]
connectors:
  files:
    kind: local
    root: ./data
`;

function configErrorOf(fn: () => unknown): DataMcpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataMcpError && err.code === 'CONFIG_ERROR') return err;
    throw err;
  }
  throw new Error('expected CONFIG_ERROR');
}

describe('loadConfig', () => {
  it('loads a minimal file with defaults filled in', () => {
    const path = writeConfig(MINIMAL);
    const loaded = loadConfig({ path, env: { XDG_STATE_HOME: '/var/state-test' } });
    expect(loaded.embedded).toBe(false);
    expect(loaded.source).toBe(resolve(path));
    expect(loaded.config.server.toolsets).toEqual(['catalog', 'data', 'probe']);
    expect(loaded.config.server.read_only).toBe(true);
    expect(loaded.config.auth.audience).toBe('data-mcp');
    expect(loaded.policiesDir).toBe(BUNDLED_POLICIES_DIR);
    expect(loaded.auditPath).toBe('/var/state-test/data-mcp/audit.jsonl');
  });

  it('falls back to the embedded demo without a path or DATA_MCP_CONFIG', () => {
    const loaded = loadConfig({ env: {} });
    expect(loaded.embedded).toBe(true);
    expect(loaded.config.auth.mode).toBe('none');
    const demo = loaded.config.connectors.demo;
    expect(demo?.kind === 'local' && demo.root).toBe(BUNDLED_DEMO_DATA_DIR);
  });

  it('reads the path from DATA_MCP_CONFIG', () => {
    const path = writeConfig(MINIMAL);
    expect(loadConfig({ env: { DATA_MCP_CONFIG: path } }).source).toBe(resolve(path));
  });

  it('resolves relative paths against the folder of the config file, not the cwd', () => {
    const path = writeConfig(`${MINIMAL}
policies:
  dir: ./my-policies
audit:
  path: logs/audit.jsonl
  checkpoint_key_file: keys/audit.key
`);
    const base = resolve(path, '..');
    const { config, policiesDir, auditPath } = loadConfig({ path, env: {} });
    const files = config.connectors.files;
    expect(files?.kind === 'local' && files.root).toBe(join(base, 'data'));
    expect(policiesDir).toBe(join(base, 'my-policies'));
    expect(auditPath).toBe(join(base, 'logs/audit.jsonl'));
    expect(config.audit.checkpoint_key_file).toBe(join(base, 'keys/audit.key'));
  });

  it('keeps absolute paths as they are', () => {
    const path = writeConfig(MINIMAL.replace('./data', '/srv/data'));
    const files = loadConfig({ path, env: {} }).config.connectors.files;
    expect(files?.kind === 'local' && files.root).toBe('/srv/data');
  });

  it('lets flags win over the file', () => {
    const path = writeConfig(MINIMAL);
    const { config } = loadConfig({ path, env: {}, toolsets: ['catalog'], readOnly: false });
    expect(config.server.toolsets).toEqual(['catalog']);
    expect(config.server.read_only).toBe(false);
  });

  it('validates config.example.yaml with the variables it needs set', () => {
    const loaded = loadConfig({ path: join(PACKAGE_ROOT, 'config.example.yaml'), env: { DATA_MCP_JWT_SECRET: 'x'.repeat(40) } });
    expect(loaded.config.auth.mode).toBe('token');
    expect(Object.keys(loaded.config.connectors).sort()).toEqual(['app-db', 'assets', 'bq', 'demo', 'lake', 'sessions-table', 'warehouse']);
    const demo = loaded.config.connectors.demo;
    expect(demo?.kind === 'local' && demo.root).toBe(join(PACKAGE_ROOT, 'examples/data'));
    // Unset optional placeholders (handle secret, redis url) become absent, not empty strings.
    expect(loaded.config.server.handle_secret).toBeUndefined();
    expect(loaded.config.cache.redis_url).toBeUndefined();
  });

  it('validates config.example.yaml with its optional variables set too', () => {
    const loaded = loadConfig({
      path: join(PACKAGE_ROOT, 'config.example.yaml'),
      env: { DATA_MCP_HANDLE_SECRET: 'h'.repeat(40), REDIS_URL: 'redis://127.0.0.1:6390', ANALYST_EXTERNAL_ID: 'ext-123' },
    });
    expect(loaded.config.server.handle_secret).toBe('h'.repeat(40));
    expect(loaded.config.cache.redis_url).toBe('redis://127.0.0.1:6390');
    expect(loaded.config.auth.service_accounts[0]?.aws?.external_id).toBe('ext-123');
  });

  it('names the key and the variable when an interpolated variable is missing', () => {
    const path = writeConfig(MINIMAL.replace('./data', '${DATA_ROOT_NOT_SET}'));
    const err = configErrorOf(() => loadConfig({ path, env: {} }));
    expect(err.message).toContain('connectors.files.root');
    expect(err.message).toContain('DATA_ROOT_NOT_SET');
  });

  it('refuses an unreadable file with CONFIG_ERROR', () => {
    const err = configErrorOf(() => loadConfig({ path: join(tempDir(), 'missing.yaml'), env: {} }));
    expect(err.message).toContain('ENOENT');
  });

  it('registers config and env secrets with the scrubber', () => {
    const handleSecret = 'handle-secret-0123456789abcdef0123456789';
    const jwtSecret = 'jwt-secret-for-scrub-test-0123456789abcdef';
    const s3Secret = 's3-literal-secret-value-77aa';
    const saSecret = 'sa-literal-secret-value-88bb';
    const redisPassword = 'redis-pw-scrub-99cc';
    const envToken = 'env-token-value-for-scrubbing-1234';
    const path = writeConfig(`
server:
  handle_secret: ${handleSecret}
auth:
  mode: token
  keys: { hs256_secret_env: MY_JWT_SECRET }
  service_accounts:
    - id: sa-one
      roles: [reader]
      aws: { access_key_id: SAKEYID, secret_access_key: ${saSecret} }
connectors:
  lake:
    kind: s3
    buckets: [some-bucket]
    credentials: { access_key_id: LAKEKEYID, secret_access_key: ${s3Secret} }
cache:
  redis_url: redis://user:${redisPassword}@127.0.0.1:6390
`);
    loadConfig({ path, env: { MY_JWT_SECRET: jwtSecret, DATA_MCP_TOKEN: envToken } });
    for (const secret of [handleSecret, jwtSecret, s3Secret, saSecret, redisPassword, envToken]) {
      expect(scrubText(`before ${secret} after`)).toBe('before [REDACTED] after');
    }
  });
});

describe('validation errors', () => {
  const base = (): Record<string, unknown> => ({
    auth: { mode: 'none', default_service_account: 'a', service_accounts: [{ id: 'a', roles: ['reader'] }] },
    connectors: { files: { kind: 'local', root: '/srv' } },
  });

  it('rejects unknown keys, naming the key', () => {
    const err = configErrorOf(() => validate({ ...base(), surprise: 1 }, 'test'));
    expect(err.message).toContain('surprise');
    const nested = configErrorOf(() => validate({ ...base(), server: { read_onyl: false } }, 'test'));
    expect(nested.message).toContain('read_onyl');
    expect(nested.message).toContain('server');
  });

  it('rejects unknown keys deep inside a connector', () => {
    const cfg = base();
    cfg.connectors = { files: { kind: 'local', root: '/srv', endpoint: 'http://x' } };
    const err = configErrorOf(() => validate(cfg, 'test'));
    expect(err.message).toContain('connectors.files');
    expect(err.message).toContain('endpoint');
  });

  it('lists the allowed values of an enum', () => {
    const cfg = base();
    cfg.auth = { ...(cfg.auth as object), mode: 'oauth' };
    const err = configErrorOf(() => validate(cfg, 'test'));
    expect(err.message).toContain('auth.mode');
    expect(err.message).toContain('"none"');
    expect(err.message).toContain('"token"');
  });

  it('lists the allowed toolsets', () => {
    const err = configErrorOf(() => validate({ ...base(), server: { toolsets: ['catalog', 'magic'] } }, 'test'));
    expect(err.message).toContain('server.toolsets.1');
    for (const name of ['catalog', 'data', 'probe', 'admin']) expect(err.message).toContain(name);
  });

  it('lists the allowed connector kinds', () => {
    const cfg = base();
    cfg.connectors = { files: { kind: 'ftp', root: '/srv' } };
    const err = configErrorOf(() => validate(cfg, 'test'));
    expect(err.message).toContain('connectors.files.kind');
    expect(err.message).toMatch(/local/);
    expect(err.message).toMatch(/s3/);
  });

  it('requires a known default service account in mode none', () => {
    const cfg = base();
    cfg.auth = { mode: 'none', default_service_account: 'ghost', service_accounts: [{ id: 'a', roles: ['reader'] }] };
    expect(configErrorOf(() => validate(cfg, 'test')).message).toContain('auth.default_service_account');
  });

  it('requires a key in token mode', () => {
    const cfg = base();
    cfg.auth = { mode: 'token', service_accounts: [{ id: 'a', roles: ['reader'] }] };
    expect(configErrorOf(() => validate(cfg, 'test')).message).toContain('auth.keys');
  });

  it('refuses duplicate service accounts', () => {
    const cfg = base();
    cfg.auth = { mode: 'none', default_service_account: 'a', service_accounts: [{ id: 'a', roles: ['reader'] }, { id: 'a', roles: ['admin'] }] };
    expect(configErrorOf(() => validate(cfg, 'test')).message).toContain('duplicate service account');
  });
});

describe('hostile YAML', () => {
  it('refuses an alias bomb (billion laughs)', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const err = configErrorOf(() => loadConfig({ path: writeConfig(lines.join('\n')), env: {} }));
    expect(err.message).toContain('not valid YAML');
  });

  it('refuses duplicate keys (a later key must not silently override an earlier control)', () => {
    const path = writeConfig(`${MINIMAL}
server:
  read_only: true
server:
  read_only: false
`);
    const err = configErrorOf(() => loadConfig({ path, env: {} }));
    expect(err.message).toContain('not valid YAML');
  });

  it('refuses a file that is not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from(MINIMAL.replace('./data', './da')), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('ta\n')]);
    const err = configErrorOf(() => loadConfig({ path: writeConfig(bytes), env: {} }));
    expect(err.message).toContain('UTF-8');
  });

  it('refuses a huge file before parsing it', () => {
    const filler = `# ${'x'.repeat(1000)}\n`.repeat(2000);
    const err = configErrorOf(() => loadConfig({ path: writeConfig(MINIMAL + filler), env: {} }));
    expect(err.message).toMatch(/bytes/);
  });

  it('refuses a YAML document that is not a mapping', () => {
    configErrorOf(() => loadConfig({ path: writeConfig('- just\n- a list\n'), env: {} }));
    configErrorOf(() => loadConfig({ path: writeConfig('plain scalar'), env: {} }));
  });

  it('refuses syntax errors with CONFIG_ERROR', () => {
    configErrorOf(() => loadConfig({ path: writeConfig('auth: [unclosed\n'), env: {} }));
  });

  it('does not read a directory as a config file', () => {
    const dir = join(tempDir(), 'a-dir.yaml');
    mkdirSync(dir);
    configErrorOf(() => loadConfig({ path: dir, env: {} }));
  });
});
