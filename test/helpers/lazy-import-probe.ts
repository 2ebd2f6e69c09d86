import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * Proves that cloud SDKs load lazily (DESIGN §2). ESM has no require.cache to inspect, so a
 * fresh Node process registers a module-resolution hook that logs every specifier matching
 * one of `blocked` — a string matches as a prefix, a RegExp by `test` (for exact names such as
 * `pg`, whose prefix would also catch `pgpass`) — and refuses to resolve it. The test's `script` (an ES module body)
 * runs in that process with these in scope:
 *
 *   repo(path)  file URL of a repository file, for `await import(repo('src/...'))`
 *   seen()      specifiers the hook has refused so far
 *   report(v)   writes `v` as JSON to stdout: the probe's result
 *
 * Include a control step that *should* load the SDK (and see it refused), so a broken hook
 * cannot pass as "nothing was loaded".
 */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const run = promisify(execFile);

export async function probeLazyImports<T>(blocked: ReadonlyArray<string | RegExp>, script: string): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'data-mcp-lazy-'));
  try {
    const log = join(dir, 'resolved.log');
    const prefixes = blocked.filter((b): b is string => typeof b === 'string');
    const patterns = blocked.filter((b): b is RegExp => b instanceof RegExp).map((r) => [r.source, r.flags]);
    const hook = `
      import { appendFileSync } from 'node:fs';
      const prefixes = ${JSON.stringify(prefixes)};
      const patterns = ${JSON.stringify(patterns)}.map(([source, flags]) => new RegExp(source, flags));
      export async function resolve(specifier, context, next) {
        if (prefixes.some((p) => specifier.startsWith(p)) || patterns.some((r) => r.test(specifier))) {
          appendFileSync(${JSON.stringify(log)}, specifier + '\\n');
          throw new Error('blocked by test: ' + specifier);
        }
        return next(specifier, context);
      }`;
    const prelude = `
      import { register } from 'node:module';
      import { existsSync, readFileSync } from 'node:fs';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
      const repo = (path) => ${JSON.stringify(pathToFileURL(REPO_ROOT).href)} + '/' + path;
      const seen = () => (existsSync(${JSON.stringify(log)}) ? readFileSync(${JSON.stringify(log)}, 'utf8').trim().split('\\n') : []);
      const report = (value) => process.stdout.write(JSON.stringify(value));`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `${prelude}\n${script}`], { cwd: REPO_ROOT });
    return JSON.parse(stdout) as T;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
