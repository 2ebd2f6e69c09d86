import { promises as fs, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { configError, DataMcpError } from '../../results/errors.js';
import { browseHint, fsError } from './errors.js';

/**
 * Symlink policy: a path is resolved with realpath and must land inside realpath(root).
 * Links that stay inside the root are followed (operators use them to arrange a data folder),
 * and the gate asks policy about where they lead as well (`linkTarget`, `realRelative` below);
 * links that point outside — directly or through a linked parent folder — are refused. Hidden
 * names (a segment starting with ".") are not exposed, including as a link's target.
 */

/** Resolves the configured root once, at init: it must exist and be a folder. */
export async function resolveRoot(root: string, baseDir: string, connector: string): Promise<string> {
  const absolute = resolve(baseDir, root);
  const hint = `Set connectors.${connector}.root to an existing folder (relative paths are resolved from the server's working directory).`;
  let real: string;
  try {
    real = await fs.realpath(absolute);
  } catch {
    throw configError(`connector "${connector}": root folder "${root}" does not exist`, hint);
  }
  const stats = await fs.stat(real);
  if (!stats.isDirectory()) throw configError(`connector "${connector}": root "${root}" is not a folder`, hint);
  return real;
}

/** True when `candidate` is `root` or below it (compared on separator boundaries). */
export function isWithin(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

export function hasHiddenSegment(relPath: string): boolean {
  return relPath.split(/[\\/]/).some((segment) => segment.startsWith('.'));
}

export interface Resolved {
  real: string;
  stats: Stats;
}

/**
 * Resolves connector-relative `segments` to a real path inside `rootReal`, or throws
 * (NOT_FOUND for missing or hidden names, INVALID_ARGUMENT for escapes).
 */
export async function resolveInside(rootReal: string, segments: string[], connector: string, path: string): Promise<Resolved> {
  const hidden = () => new DataMcpError('NOT_FOUND', `"${path}" does not exist in connector "${connector}"`, browseHint(path));
  if (hasHiddenSegment(segments.join('/'))) throw hidden();
  let real: string;
  try {
    real = await fs.realpath(join(rootReal, ...segments));
  } catch (error) {
    throw fsError(error, connector, path);
  }
  if (!isWithin(rootReal, real)) throw escapeError(path);
  if (hasHiddenSegment(relative(rootReal, real))) throw hidden();
  try {
    return { real, stats: await fs.stat(real) };
  } catch (error) {
    throw fsError(error, connector, path);
  }
}

export function escapeError(path: string): DataMcpError {
  return new DataMcpError(
    'INVALID_ARGUMENT',
    `"${path}" escapes the connector root`,
    'Symbolic links that lead outside the connector folder are not followed; use a path inside it.',
  );
}

/**
 * Where `segments` really lead once symbolic links are followed, as a root-relative path with
 * "/" separators; for a name that does not exist yet, its folder's real path plus the name.
 * Undefined when nothing can be resolved or it lies outside the root (the operation itself
 * then reports the missing path or the escape).
 */
export async function realRelative(rootReal: string, segments: string[]): Promise<string | undefined> {
  const inside = (real: string) => (isWithin(rootReal, real) ? relative(rootReal, real).split(sep).join('/') : undefined);
  try {
    return inside(await fs.realpath(join(rootReal, ...segments)));
  } catch {
    if (segments.length === 0) return undefined;
  }
  try {
    const parent = inside(await fs.realpath(join(rootReal, ...segments.slice(0, -1))));
    return parent === undefined ? undefined : [parent, segments.at(-1)!].filter((s) => s !== '').join('/');
  } catch {
    return undefined;
  }
}
