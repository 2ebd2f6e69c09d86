import type { ListEntry, ListPage } from '../types.js';
import { throwIfAborted } from '../abort.js';
import { childrenOf, toEntry, type Candidate } from './entries.js';

/**
 * Listings are sorted by path and paged with the last path returned as the cursor, so a page
 * boundary survives files being added or removed between calls (no offsets).
 */

export interface ListScope {
  dirAbs: string;
  /** Connector-relative prefix of the folder (`""` or ending with `/`). */
  dirPrefix: string;
  rootReal: string;
  cursor?: string;
  limit: number;
  signal: AbortSignal;
}

export async function listOneLevel(scope: ListScope): Promise<ListPage> {
  throwIfAborted(scope.signal);
  const children = await childrenOf(scope.dirAbs, scope.rootReal);
  throwIfAborted(scope.signal);
  const after = scope.cursor === undefined ? children : children.filter((c) => scope.dirPrefix + c.sortKey > (scope.cursor ?? ''));
  const entries: ListEntry[] = [];
  for (const c of after.slice(0, scope.limit)) {
    const entry = await toEntry(c, scope.dirPrefix + c.sortKey);
    if (entry) entries.push(entry);
  }
  return pageOf(entries, after.length > scope.limit, after[scope.limit - 1], scope.dirPrefix);
}

export async function listRecursive(scope: ListScope): Promise<ListPage> {
  const found: Array<{ c: Candidate; path: string }> = [];
  // Walk in path order and stop one past the page: later subtrees are never read.
  for await (const item of walk(scope.dirAbs, scope.dirPrefix, scope)) {
    found.push(item);
    if (found.length > scope.limit) break;
  }
  const page = found.slice(0, scope.limit);
  const entries: ListEntry[] = [];
  for (const { c, path } of page) {
    const entry = await toEntry(c, path);
    if (entry) entries.push(entry);
  }
  const last = page[page.length - 1];
  return found.length > scope.limit && last ? { entries, nextCursor: last.path } : { entries };
}

async function* walk(dirAbs: string, dirPrefix: string, scope: ListScope): AsyncGenerator<{ c: Candidate; path: string }> {
  throwIfAborted(scope.signal);
  const cursor = scope.cursor;
  for (const c of await childrenOf(dirAbs, scope.rootReal)) {
    const path = dirPrefix + c.sortKey;
    if (c.kind === 'prefix') {
      // Linked folders are shown one level at a time but never walked: no cycles, no duplicates.
      if (c.linked) continue;
      // Every path below `path` sorts before the cursor unless the cursor lies inside it.
      if (cursor !== undefined && path < cursor && !cursor.startsWith(path)) continue;
      yield* walk(c.target, path, scope);
    } else if (cursor === undefined || path > cursor) {
      yield { c, path };
    }
  }
}

function pageOf(entries: ListEntry[], more: boolean, lastOfPage: Candidate | undefined, dirPrefix: string): ListPage {
  return more && lastOfPage ? { entries, nextCursor: dirPrefix + lastOfPage.sortKey } : { entries };
}
