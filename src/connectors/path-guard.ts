import { invalidArgument } from '../results/errors.js';

/**
 * The connectors' own cheap path checks. The gate canonicalizes paths before a connector sees
 * them; these checks run again here so a connector stays safe even if it is reached some
 * other way (tests, a future caller, a bug upstream). Defence in depth, not the main gate.
 */

// C0 controls, DEL and C1 controls: never part of a name an agent should address.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** Longest path accepted; S3 keys top out at 1024 bytes, so bucket + key fits comfortably. */
export const MAX_PATH_LENGTH = 2048;

export interface CheckedPath {
  /** The path as given (already validated). */
  path: string;
  /** Non-empty segments; `[]` for the root. */
  segments: string[];
  /** True when the path ends with `/` (a prefix / folder). */
  isPrefix: boolean;
}

const HINT = 'Use a connector-relative path like "folder/file.csv" (no "..", no leading "/", no backslashes); browse the connector to find valid paths.';

/** Validates a connector-relative path and splits it; throws INVALID_ARGUMENT when unsafe. */
export function checkPath(path: unknown): CheckedPath {
  if (typeof path !== 'string') throw invalidArgument('path must be a string', HINT);
  if (path.length > MAX_PATH_LENGTH) throw invalidArgument(`path is longer than ${MAX_PATH_LENGTH} characters`, HINT);
  if (CONTROL_CHARS.test(path)) throw invalidArgument('path contains NUL or control characters', HINT);
  if (path.includes('\\')) throw invalidArgument('path contains a backslash', HINT);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw invalidArgument('path must be relative to the connector, not absolute', HINT);
  if (path === '') return { path, segments: [], isPrefix: true };
  const isPrefix = path.endsWith('/');
  const segments = (isPrefix ? path.slice(0, -1) : path).split('/');
  for (const segment of segments) {
    if (segment === '') throw invalidArgument('path contains an empty segment ("//")', HINT);
    if (segment === '..' || segment === '.') throw invalidArgument(`path contains a "${segment}" segment`, HINT);
  }
  return { path, segments, isPrefix };
}

/** Like `checkPath`, but never throws: used to drop unaddressable names from listings. */
export function isAddressable(path: string): boolean {
  try {
    checkPath(path);
    return true;
  } catch {
    return false;
  }
}

/** The enclosing prefix of a path, for "browse the parent" hints (`""` is the root). */
export function parentPrefix(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const cut = trimmed.lastIndexOf('/');
  return cut < 0 ? '' : trimmed.slice(0, cut + 1);
}

/** Canonical prefix form of a folder path: `""` for the root, otherwise ending with `/`. */
export function asPrefix(segments: string[]): string {
  return segments.length === 0 ? '' : `${segments.join('/')}/`;
}

/** Validates a page size; connectors cap it at what their upstream accepts. */
export function checkLimit(limit: unknown, max: number): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw invalidArgument('limit must be a positive integer', 'Pass a page size such as 100.');
  }
  return Math.min(limit, max);
}
