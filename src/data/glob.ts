import picomatch from 'picomatch';
import type { ListEntry } from '../connectors/types.js';
import type { GatedConnector } from '../gate/context.js';
import { limitExceeded, notFound } from '../results/errors.js';

const GLOB_CHARS = /[*?[\]{}]/;

export function isGlob(path: string): boolean {
  return GLOB_CHARS.test(path);
}

/** The literal prefix before the first segment with a glob character ('' for the root). */
export function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (GLOB_CHARS.test(segment)) break;
    literal.push(segment);
  }
  return literal.length === 0 ? '' : `${literal.join('/')}/`;
}

/**
 * Objects matching a glob, listed recursively below its literal base through the gated
 * connector (so listing itself is authorized), capped at `maxObjects`.
 */
export async function expandGlob(connector: GatedConnector, pattern: string, maxObjects: number): Promise<string[]> {
  return (await expandGlobEntries(connector, pattern, maxObjects)).map((entry) => entry.path);
}

/** The matching listing entries themselves (size, modified, etag: what a probe's cache key needs). */
export async function expandGlobEntries(connector: GatedConnector, pattern: string, maxObjects: number): Promise<ListEntry[]> {
  const matcher = picomatch(pattern, { dot: false, strictSlashes: true });
  const base = globBase(pattern);
  const matches: ListEntry[] = [];
  let cursor: string | undefined;
  let listed = 0;
  do {
    const page = await connector.list(base, { limit: 1000, recursive: true, ...(cursor ? { cursor } : {}) });
    for (const entry of page.entries) {
      if (entry.kind !== 'object') continue;
      listed += 1;
      if (matcher(entry.path)) matches.push(entry);
      if (matches.length > maxObjects) {
        throw limitExceeded(`the glob ${pattern} matches more than ${maxObjects} objects`, 'Narrow the pattern (a more specific prefix or date), or read a few objects at a time.');
      }
    }
    cursor = page.nextCursor;
    // A listing itself is bounded too: a pattern that matches little under a huge prefix stops.
    if (listed > maxObjects * 100) throw limitExceeded(`the glob ${pattern} scans too many objects under ${base || 'the root'}`, 'Give the pattern a longer literal prefix.');
  } while (cursor);
  if (matches.length === 0) throw notFound(`no object matches ${pattern}`, `Browse ${base || 'the root'} to see what exists.`);
  return matches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
