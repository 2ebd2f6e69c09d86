import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../../src/config/load.js';
import { BUNDLED_POLICIES_DIR } from '../../../src/config/paths.js';
import { createLogger } from '../../../src/logging/logger.js';
import { createRuntime } from '../../../src/runtime.js';
import { DataMcpError } from '../../../src/results/errors.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { errorOf, ok } from './support.js';

/** Custom processors: loaded from config at start, run under the same plan, limits and errors. */
const SHARE_MODULE = resolve(import.meta.dirname, '../../../examples/processors/share.mjs');

let base: string;
let h: Harness;

function config(processors: string[]): Record<string, unknown> {
  return {
    server: { env: 'dev', toolsets: ['catalog', 'data', 'probe'], limits: { max_rows: 1000 } },
    auth: { mode: 'none', default_service_account: 'sa', service_accounts: [{ id: 'sa', roles: ['reader'] }] },
    connectors: { files: { kind: 'local', root: base } },
    probe: { processors },
  };
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'data-mcp-custom-'));
  writeFileSync(join(base, 'sales.csv'), 'region,amount\nnorth,30\nsouth,10\neast,60\n');
  h = await startHarness({ config: config([SHARE_MODULE]) });
});
afterAll(async () => {
  await h?.close();
  rmSync(base, { recursive: true, force: true });
});

describe('custom processors', () => {
  it('runs an operator processor as a probe step, after built-in ones', async () => {
    const result = ok(await h.call('run_probe', { sources: { s: { connector: 'files', path: 'sales.csv' } }, steps: [{ op: 'share', column: 'amount', name: 'part' }, { op: 'sort', by: [{ column: 'part', order: 'desc' }] }] }));
    expect(result.rows).toEqual([
      ['east', 60, 0.6],
      ['north', 30, 0.3],
      ['south', 10, 0.1],
    ]);
  });

  it('reports its plan errors as INVALID_ARGUMENT naming the step, and checks its fields', async () => {
    const bad = errorOf(await h.call('run_probe', { sources: { s: { connector: 'files', path: 'sales.csv' } }, steps: [{ op: 'share', column: 'region' }] }));
    expect(bad.code).toBe('INVALID_ARGUMENT');
    expect(bad.message).toMatch(/Step 1 \(share\): share needs a numeric column/);
    const fields = errorOf(await h.call('run_probe', { sources: { s: { connector: 'files', path: 'sales.csv' } }, steps: [{ op: 'share', column: 'amount', extra: true }] }));
    expect(fields.code).toBe('INVALID_ARGUMENT');
  });

  it('stops the server at start when a module is missing, malformed or shadows a built-in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'data-mcp-custom-bad-'));
    const modules = {
      missing: join(dir, 'nope.mjs'),
      noArray: join(dir, 'no-array.mjs'),
      shadow: join(dir, 'shadow.mjs'),
      shape: join(dir, 'shape.mjs'),
    };
    writeFileSync(modules.noArray, 'export const processors = 1;\n');
    writeFileSync(modules.shadow, "export const processors = [{ op: 'filter', description: 'x', schema: { safeParse: () => ({ success: true }) }, plan: () => null, run: () => null }];\n");
    writeFileSync(modules.shape, "export const processors = [{ op: 'Bad Name', description: 'x' }];\n");
    try {
      for (const [name, path] of Object.entries(modules)) {
        const loaded = { config: validate(config([path]), 'test'), source: 'test', embedded: false, policiesDir: BUNDLED_POLICIES_DIR, auditPath: join(dir, `${name}.jsonl`) };
        const error = await createRuntime(loaded, createLogger('silent'), {}).then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(error, name).toBeInstanceOf(DataMcpError);
        expect((error as DataMcpError).code, name).toBe('CONFIG_ERROR');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
