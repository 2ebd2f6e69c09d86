import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Cold start must not pay for the PostgreSQL driver (DESIGN §2). A fresh Node process refuses
 * (and logs) every resolution of `pg` / `pg-cursor`; describing and creating a postgres
 * connector must not try one. As a control, the first real call must try `pg`, be refused,
 * and fail as INTERNAL (the driver could not be loaded).
 */
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const run = promisify(execFile);

describe('postgres connector: the driver loads lazily', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'data-mcp-pg-lazy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creating a postgres connector loads no pg module; its first call does', async () => {
    const log = join(dir, 'resolved.log');
    const hook = `
      import { appendFileSync } from 'node:fs';
      export async function resolve(specifier, context, next) {
        if (specifier === 'pg' || specifier === 'pg-cursor' || specifier.startsWith('pg/')) {
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
          db: { kind: 'postgres', host: '127.0.0.1', port: 9, database: 'x', user: 'x', ssl: { mode: 'disable' }, pool_max: 1, statement_timeout_ms: 1000, annotations: {} },
        },
      });
      const infos = registry.list();
      await registry.get('db');
      const beforeControl = seen();
      const db = await registry.get('db');
      const control = await db.list('', { signal: new AbortController().signal, credentials: { id: 'none' }, limit: 5 }).then(() => 'listed', (e) => e.code);
      process.stdout.write(JSON.stringify({ infos, beforeControl, control, afterControl: seen() }));
      await registry.closeAll();`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot });
    const result = JSON.parse(stdout) as { infos: Array<{ name: string; kind: string }>; beforeControl: string[]; control: string; afterControl: string[] };
    expect(result.infos.map((i) => `${i.name}:${i.kind}`)).toEqual(['db:postgres']);
    expect(result.beforeControl).toEqual([]);
    expect(result.control).toBe('INTERNAL');
    expect(result.afterControl).toContain('pg');
    expect(await readFile(log, 'utf8')).toContain('pg');
  });
});
