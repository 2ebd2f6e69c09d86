import { describe, expect, it } from 'vitest';
import { probeLazyImports } from '../../helpers/lazy-import-probe.js';

interface Probe {
  infos: Array<{ name: string; kind: string }>;
  beforeControl: string[];
  control: string;
  afterControl: string[];
}

/**
 * Cold start must not pay for the PostgreSQL driver (DESIGN §2). A fresh Node process refuses
 * (and logs) every resolution of `pg` / `pg-cursor` / `pg/…` (exactly those: a prefix would
 * also catch pg's own dependencies); describing and creating a postgres connector must not try
 * one. As a control, the first real call must try `pg`, be refused, and fail as INTERNAL (the
 * driver could not be loaded).
 */
describe('postgres connector: the driver loads lazily', () => {
  it('creating a postgres connector loads no pg module; its first call does', async () => {
    const result = await probeLazyImports<Probe>(
      [/^pg(-cursor)?$/, /^pg\//],
      `
      const { ConnectorRegistry } = await import(repo('src/connectors/registry.ts'));
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
      report({ infos, beforeControl, control, afterControl: seen() });
      await registry.closeAll();`,
    );
    expect(result.infos.map((i) => `${i.name}:${i.kind}`)).toEqual(['db:postgres']);
    expect(result.beforeControl).toEqual([]);
    expect(result.control).toBe('INTERNAL');
    expect(result.afterControl).toContain('pg');
  });
});
