import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A fingerprint of every entry under `dir` (names, kinds, sizes, modification times), without
 * following symlinks: two equal fingerprints mean no write landed anywhere below it — inside the
 * connector root, beside it, or through a link.
 */
export function treeFingerprint(dir: string): string {
  const lines: string[] = [];
  const walk = (path: string, rel: string) => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const stats = lstatSync(full);
      const kind = stats.isSymbolicLink() ? 'link' : stats.isDirectory() ? 'dir' : 'file';
      // A folder's own size and mtime move when a refused write's temp file comes and goes.
      lines.push(kind === 'dir' ? `dir ${rel}${name}` : `${kind} ${rel}${name} ${stats.size} ${stats.mtimeMs}`);
      if (kind === 'dir') walk(full, `${rel}${name}/`);
    }
  };
  walk(dir, '');
  return lines.join('\n');
}
