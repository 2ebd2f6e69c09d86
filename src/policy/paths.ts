import { invalidArgument } from '../results/errors.js';

/**
 * Connector-relative paths become Cedar entity ids (`lake/reports/2026/`), so two spellings of
 * one place must never exist: a policy on `reports/` has to cover every way an agent could
 * name something inside it. We refuse anything ambiguous instead of normalizing it, because a
 * "fixed" path is a path the operator never wrote a policy for.
 */

export const MAX_PATH_BYTES = 1024;
export const MAX_PATH_SEGMENTS = 64;

const HINT = 'Send a plain connector-relative path such as "reports/2026/sales.csv" (a trailing "/" means a prefix).';

// C0 controls, DEL and C1 controls: invisible in logs, and NUL truncates in some backends.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// Bidi overrides and zero-width characters make one path look like another to a human reviewer.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;
// Percent-encoded ".", "/" or "\" would decode into traversal somewhere downstream.
const ENCODED_SEPARATOR = /%(2e|2f|5c)/iu;
// With the `u` flag this matches only unpaired surrogates, which are not valid UTF-8 keys.
const LONE_SURROGATE = /[\ud800-\udfff]/u;

function refuse(problem: string, raw: string): never {
  throw invalidArgument(`Invalid path: ${problem}.`, HINT, { pathLength: raw.length });
}

function codePointName(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export function canonicalizePath(raw: string, opts: { allowEmpty?: boolean } = {}): string {
  if (typeof raw !== 'string') refuse('the path must be a string', String(raw));
  if (raw === '') {
    if (opts.allowEmpty) return '';
    refuse('the path is empty (name an object or prefix inside the connector)', raw);
  }
  const control = CONTROL.exec(raw);
  if (control) refuse(`it contains the control character ${codePointName(control[0])}`, raw);
  const invisible = INVISIBLE.exec(raw);
  if (invisible) refuse(`it contains the invisible or bidirectional character ${codePointName(invisible[0])}`, raw);
  if (LONE_SURROGATE.test(raw)) refuse('it contains an unpaired UTF-16 surrogate (not valid UTF-8)', raw);
  if (raw.includes('\\')) refuse('it contains a backslash (use "/" to separate segments)', raw);
  if (ENCODED_SEPARATOR.test(raw)) refuse('it contains a percent-encoded ".", "/" or "\\" (send the decoded key)', raw);
  if (raw.startsWith('/')) refuse('it is absolute (remove the leading "/"; paths are relative to the connector)', raw);
  if (raw.normalize('NFC') !== raw) refuse('it is not in Unicode NFC form (normalize it to NFC)', raw);
  if (Buffer.byteLength(raw, 'utf8') > MAX_PATH_BYTES) refuse(`it is longer than ${MAX_PATH_BYTES} UTF-8 bytes`, raw);

  const isPrefix = raw.endsWith('/');
  const segments = (isPrefix ? raw.slice(0, -1) : raw).split('/');
  if (segments.length > MAX_PATH_SEGMENTS) refuse(`it has more than ${MAX_PATH_SEGMENTS} segments`, raw);
  for (const segment of segments) {
    if (segment === '') refuse('it contains an empty segment ("//")', raw);
    if (segment === '..') refuse('it contains a ".." segment (parent traversal is not allowed)', raw);
    if (segment === '.') refuse('it contains a "." segment', raw);
  }
  return raw;
}

/** Enclosing prefixes, nearest first: `a/b/c.csv` → `['a/b/', 'a/']`; `a/b/` → `['a/']`. */
export function ancestorPrefixes(path: string): string[] {
  const out: string[] = [];
  let current = parentPrefix(path);
  while (current !== '') {
    out.push(current);
    current = parentPrefix(current);
  }
  return out;
}

/** The enclosing prefix (`a/b/c.csv` → `a/b/`), or `''` for a top-level path (the connector root). */
export function parentPrefix(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? '' : trimmed.slice(0, slash + 1);
}

/**
 * True when `path` is `prefix` itself or lies below it, on `/` boundaries: `reports2/x` is not
 * within `reports/`. A prefix given without its trailing slash (`reports`) means the same
 * folder. The empty prefix is the connector root and contains everything.
 */
export function isWithinPrefix(path: string, prefix: string): boolean {
  if (prefix === '') return true;
  const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return path === prefix || path === folder || path.startsWith(folder);
}
