import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * A source-text import scanner for the layering checks of the security tests: which modules a
 * file loads at run time. `import type` / `export type` are erased and do not count; an inline
 * `import { type X }` still loads the module (verbatimModuleSyntax), so it does count.
 */
export const SRC_DIR = resolve(import.meta.dirname, '../../../src');

export interface ImportRef {
  spec: string;
  typeOnly: boolean;
}

// Static import/export-from (multi-line specifier lists too), side-effect imports, and import('…').
const IMPORT_RE = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(text: string): ImportRef[] {
  const out: ImportRef[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    if (m[4] !== undefined) out.push({ spec: m[4], typeOnly: false });
    else if (m[3] !== undefined) out.push({ spec: m[3], typeOnly: Boolean(m[2]) });
  }
  return out;
}

export function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The absolute .ts path a relative `./x.js` specifier names (bare package names: undefined). */
export function resolveRelative(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return resolve(dirname(from), spec.replace(/\.js$/, '.ts'));
}

export const rel = (path: string): string => relative(SRC_DIR, path);

/**
 * Follows run-time relative imports from `roots`, not entering `stopAt` folders (they may reach
 * further by design), and returns each module reached with the chain that reached it.
 */
export function runtimeClosure(roots: string[], stopAt: string[]): Map<string, string[]> {
  const chains = new Map<string, string[]>(roots.map((r) => [r, [rel(r)]]));
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (stopAt.some((dir) => file.startsWith(dir))) continue;
    for (const ref of importsOf(readFileSync(file, 'utf8'))) {
      const target = ref.typeOnly ? undefined : resolveRelative(file, ref.spec);
      if (!target || chains.has(target)) continue;
      chains.set(target, [...chains.get(file)!, rel(target)]);
      queue.push(target);
    }
  }
  return chains;
}
