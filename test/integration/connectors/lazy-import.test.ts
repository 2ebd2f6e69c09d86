import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Cold start must not pay for cloud SDKs (DESIGN §2). ESM has no require.cache to inspect, so
 * a fresh Node process registers a module-resolution hook that appends every `@aws-sdk/*`
 * specifier it is asked to resolve to a log file — and refuses to resolve it. The child then
 * imports the registry, describes the connectors, creates the s3 connector and lists its
 * root (buckets come from config). The log must stay empty through all of that. As a control
 * that the hook really sees SDK imports, the child finally lists a bucket: that must try
 * `@aws-sdk/client-s3`, be refused, and show up in the log.
 */
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const run = promisify(execFile);

describe('connector registry: cloud SDKs load lazily', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'data-mcp-lazy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('importing the registry and describing or creating an s3 connector loads no @aws-sdk module', async () => {
    const log = join(dir, 'resolved.log');
    const hook = `
      import { appendFileSync } from 'node:fs';
      export async function resolve(specifier, context, next) {
        if (specifier.startsWith('@aws-sdk/')) {
          appendFileSync(${JSON.stringify(log)}, specifier + '\\n');
          throw new Error('blocked by test: ' + specifier);
        }
        return next(specifier, context);
      }`;
    const registryUrl = pathToFileURL(join(repoRoot, 'src/connectors/registry.ts')).href;
    const script = `
      import { register } from 'node:module';
      import { existsSync, readFileSync } from 'node:fs';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
      const seen = () => (existsSync(${JSON.stringify(log)}) ? readFileSync(${JSON.stringify(log)}, 'utf8').trim().split('\\n') : []);
      const { ConnectorRegistry } = await import(${JSON.stringify(registryUrl)});
      const registry = new ConnectorRegistry({
        defaultEnv: 'dev',
        connectors: {
          lake: { kind: 's3', buckets: ['b-one'], region: 'us-east-1', force_path_style: true, endpoint: 'http://127.0.0.1:9', annotations: {} },
          files: { kind: 'local', root: '.', annotations: {} },
        },
      });
      const options = { signal: new AbortController().signal, credentials: { id: 'none' }, limit: 10 };
      const infos = registry.list();
      const lake = await registry.get('lake');
      const rootListing = await lake.list('', options);
      await (await registry.get('files')).list('', options);
      const beforeControl = seen();
      const control = await lake.list('b-one/', options).then(() => 'listed', (e) => e.code);
      process.stdout.write(JSON.stringify({ infos, rootListing, beforeControl, control, afterControl: seen() }));
      await registry.closeAll();`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot });
    const result = JSON.parse(stdout) as {
      infos: Array<{ name: string; kind: string }>;
      rootListing: { entries: Array<{ path: string }> };
      beforeControl: string[];
      control: string;
      afterControl: string[];
    };
    expect(result.infos.map((i) => `${i.name}:${i.kind}`)).toEqual(['files:local', 'lake:s3']);
    expect(result.rootListing.entries.map((e) => e.path)).toEqual(['b-one/']);
    expect(result.beforeControl).toEqual([]);
    expect(result.control).toBe('INTERNAL');
    expect(result.afterControl).toContain('@aws-sdk/client-s3');
    expect(await readFile(log, 'utf8')).toContain('@aws-sdk/client-s3');
  });
});
