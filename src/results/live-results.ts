import { randomBytes } from 'node:crypto';
import type { Table } from 'apache-arrow';
import type { AuthzRequest } from '../policy/types.js';
import { unifyTables } from '../formats/unify.js';
import { limitExceeded } from './errors.js';

/**
 * Results whose rows are still upstream (a warehouse cursor, a statement's next pages).
 * Pages are pulled only when a `result://` read reaches past what is held, each row is held
 * once (as Arrow), and the total is capped. Live cursors cannot be shared across processes,
 * so these handles live in this process only and end with it.
 */
interface LiveEntry {
  /** Which upstream holds the cursor (a connector name): each may hold only a few open. */
  source: string;
  pages: Table[];
  held: number;
  iterator?: AsyncIterator<Table>;
  complete: boolean;
  requests: AuthzRequest[];
  expiresAt: number;
}

export interface LivePage {
  table: Table;
  offset: number;
  held: number;
  complete: boolean;
}

export class LiveResults {
  private readonly entries = new Map<string, LiveEntry>();

  constructor(
    private readonly options: { ttlSeconds: number; maxRows: number; maxEntries: number; maxPerSource: number },
    private readonly now: () => number = Date.now,
  ) {}

  put(source: string, first: Table, more: (() => AsyncIterable<Table>) | undefined, requests: AuthzRequest[]): string {
    this.evict(source);
    const id = randomBytes(12).toString('base64url');
    const iterator = more?.()[Symbol.asyncIterator]();
    this.entries.set(id, { source, pages: [first], held: first.numRows, ...(iterator ? { iterator } : {}), complete: !iterator, requests, expiresAt: this.now() + this.options.ttlSeconds * 1000 });
    return id;
  }

  requestsOf(id: string): AuthzRequest[] | undefined {
    return this.live(id)?.requests;
  }

  /** Rows [offset, offset + limit), fetching upstream pages as needed. */
  async page(id: string, offset: number, limit: number): Promise<LivePage | undefined> {
    const entry = this.live(id);
    if (!entry) return undefined;
    while (!entry.complete && entry.held < offset + limit) {
      if (entry.held >= this.options.maxRows) {
        throw limitExceeded(`this result holds ${entry.held} rows, the most one handle may page through`, 'Narrow the query (filters, aggregation) or add LIMIT/OFFSET to it.');
      }
      const next = await entry.iterator!.next();
      if (next.done) entry.complete = true;
      else {
        entry.pages.push(next.value);
        entry.held += next.value.numRows;
      }
    }
    const table = sliceAcross(entry.pages, offset, limit);
    return { table, offset, held: entry.held, complete: entry.complete };
  }

  close(): void {
    for (const entry of this.entries.values()) void entry.iterator?.return?.();
    this.entries.clear();
  }

  private live(id: string): LiveEntry | undefined {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt < this.now()) {
      void entry.iterator?.return?.();
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  /**
   * Expired entries go; past a cap the oldest goes and its upstream cursor is released. The
   * per-source cap matters most: an open cursor pins a pooled database connection, and a
   * pool must keep room for new queries.
   */
  private evict(source: string): void {
    for (const [id] of this.entries) this.live(id);
    const ofSource = [...this.entries].filter(([, e]) => e.source === source);
    for (const [id, entry] of ofSource.slice(0, Math.max(0, ofSource.length - this.options.maxPerSource + 1))) this.drop(id, entry);
    while (this.entries.size >= this.options.maxEntries) {
      const [oldest, entry] = this.entries.entries().next().value as [string, LiveEntry];
      this.drop(oldest, entry);
    }
  }

  private drop(id: string, entry: LiveEntry): void {
    void entry.iterator?.return?.();
    this.entries.delete(id);
  }
}

function sliceAcross(pages: Table[], offset: number, limit: number): Table {
  const parts: Table[] = [];
  let skip = offset;
  let want = limit;
  for (const page of pages) {
    if (want <= 0) break;
    if (skip >= page.numRows) {
      skip -= page.numRows;
      continue;
    }
    const end = Math.min(page.numRows, skip + want);
    parts.push(page.slice(skip, end));
    want -= end - skip;
    skip = 0;
  }
  if (parts.length === 0) return pages[0]!.slice(0, 0);
  return parts.length === 1 ? parts[0]! : unifyTables(parts);
}
