import { describe, expect, it } from 'vitest';
import { probeLazyImports } from '../../helpers/lazy-import-probe.js';

describe('write tools: the writers load lazily', () => {
  it('importing every tool definition loads neither hyparquet-writer nor apache-arrow', async () => {
    const result = await probeLazyImports<{ names: string[]; before: string[]; control: string; after: string[] }>(
      ['hyparquet-writer', 'apache-arrow'],
      `
      const { ALL_TOOLS } = await import(repo('src/tools/index.ts'));
      const names = ALL_TOOLS.map((t) => t.name);
      const before = seen();
      const control = await import(repo('src/formats/write/index.ts')).then(() => 'loaded', () => 'refused');
      report({ names, before, control, after: seen() });`,
    );
    expect(result.names).toEqual(expect.arrayContaining(['write_data', 'replace_data', 'delete_data']));
    expect(result.before).toEqual([]);
    // Control: the writers themselves need both, which the hook refuses (so the hook works).
    expect(result.control).toBe('refused');
    expect(result.after.length).toBeGreaterThan(0);
  });
});
