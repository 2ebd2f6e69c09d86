import { describe, expect, it } from 'vitest';
import { configSchema, TOOLSETS } from '../../../src/config/schema.js';
import { annotationsFor } from '../../../src/tools/define-tool.js';
import { selectTools } from '../../../src/tools/index.js';

/** destructiveHint follows what a tool can replace under the tiers served (issue #6, honest annotations). */
const served = (server: Record<string, unknown>) =>
  selectTools(
    configSchema.parse({
      server: { toolsets: [...TOOLSETS], ...server },
      auth: { mode: 'none', default_service_account: 'sa', service_accounts: [{ id: 'sa', roles: ['reader'] }] },
      connectors: { scratch: { kind: 'local', root: '.' } },
    }),
  );
const hints = (server: Record<string, unknown>, name: string) => {
  const tool = served(server).find((t) => t.name === name);
  if (!tool) throw new Error(`${name} is not served`);
  return annotationsFor(tool);
};

describe('annotations under each tier', () => {
  it.each([
    // tool, read-only server, writable, writable + destructive tier: destructiveHint
    ['query', false, false, true],
    ['run_probe', false, false, true],
    ['session_put', true, true, true],
    ['session_close', true, true, true],
    ['session_create', false, false, false],
    ['write_data', undefined, false, false],
  ] as const)('%s: destructive %s / %s / %s', (name, readOnlyServer, writable, destructive) => {
    if (readOnlyServer !== undefined) expect(hints({}, name).destructiveHint).toBe(readOnlyServer);
    expect(hints({ read_only: false }, name).destructiveHint).toBe(writable);
    expect(hints({ read_only: false, allow_destructive: true }, name).destructiveHint).toBe(destructive);
  });

  it('query and run_probe are read-only hints only on a read-only server', () => {
    for (const name of ['query', 'run_probe']) {
      expect(hints({}, name)).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
      expect(hints({ read_only: false }, name)).toMatchObject({ readOnlyHint: false, idempotentHint: false });
    }
  });

  it('session_close reaches connectors (its archive), the other session tools do not', () => {
    expect(hints({}, 'session_close').openWorldHint).toBe(true);
    for (const name of ['session_create', 'session_put', 'session_get', 'session_list']) expect(hints({}, name).openWorldHint).toBe(false);
  });
});
