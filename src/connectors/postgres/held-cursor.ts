import type { Table } from 'apache-arrow';
import type { Logger } from '../../logging/logger.js';
import { DataMcpError, invalidArgument } from '../../results/errors.js';
import { pageToTable, type TextRow } from './arrow-page.js';
import { pgError } from './errors.js';
import { closeCursor, readRows, type TextCursor } from './read.js';
import type { PgSession } from './session.js';
import type { PgColumnPlan } from './type-map.js';

export interface HeldCursorOptions {
  connector: string;
  plans: PgColumnPlan[];
  /** The row read beyond maxRows to learn that more exist; it starts the first further page. */
  carry: TextRow;
  pageRows: number;
  /** How the transaction ends when paging stops for any reason other than an error. */
  endSql: 'ROLLBACK' | 'COMMIT';
  /** Time a held cursor may wait for its reader before it is closed and its connection released. */
  idleMs: number;
  timeoutMs: number;
  logger: Logger | undefined;
  onClosed: (cursor: HeldCursor) => void;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * The rest of a result, still upstream: the portal stays open on its dedicated pooled
 * connection, inside its transaction, and `pages()` reads it on demand — rows are never held
 * twice. The connection goes back to the pool when the pages run out, when the reader stops
 * (`break`/`return()` on the iterator), on an error, on connector close, or — for readers that
 * simply drop the iterable, or never start it — when nothing is read for `idleMs` (an unref'd
 * timer; a FinalizationRegistry could not help, since the timer itself keeps this object alive).
 * The session also carries `idle_in_transaction_session_timeout` as the server-side backstop.
 */
export class HeldCursor {
  private started = false;
  private closed = false;
  private expired = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly session: PgSession,
    private readonly cursor: TextCursor,
    private readonly options: HeldCursorOptions,
  ) {
    this.arm();
  }

  /** The further pages; an AsyncIterable that can be consumed once. */
  pages(): AsyncIterable<Table> {
    if (this.started) {
      const error = invalidArgument('the rest of this result was already read', 'Run the query again to read it from the start.');
      return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
    }
    this.started = true;
    return { [Symbol.asyncIterator]: () => this.generate() };
  }

  private async *generate(): AsyncGenerator<Table, void, undefined> {
    let ended = false;
    try {
      let carry: TextRow[] = [this.options.carry];
      for (;;) {
        this.disarm();
        if (this.expired || this.closed) throw this.expiredError();
        const { rows } = await this.session.step(undefined, () => readRows(this.cursor, this.options.pageRows));
        const page = carry.length ? carry.concat(rows) : rows;
        carry = [];
        const last = rows.length < this.options.pageRows;
        if (last) {
          ended = true;
          await this.close(this.options.endSql);
        } else this.arm();
        if (page.length > 0) yield pageToTable(this.options.plans, page);
        if (last) return;
      }
    } catch (error) {
      ended = true;
      await this.close('ROLLBACK');
      throw pgError(error, { connector: this.options.connector, operation: 'query', signal: NEVER_ABORTED, timeoutMs: this.options.timeoutMs });
    } finally {
      // Reached early only when the reader stopped (break/return): the rest is not wanted.
      if (!ended) await this.close(this.options.endSql);
    }
  }

  /** Closes the portal, ends the transaction and releases the connection; idempotent. */
  async close(endSql: 'ROLLBACK' | 'COMMIT'): Promise<void> {
    this.disarm();
    if (this.closed) return;
    this.closed = true;
    if (!this.session.isReleased) await closeCursor(this.cursor);
    await this.session.end(endSql).catch((error: unknown) => {
      this.options.logger?.warn({ connector: this.options.connector, err: error instanceof Error ? error.message : String(error) }, 'postgres: ending a paged result failed');
    });
    // Only now is the connection back in the pool (or gone).
    this.options.onClosed(this);
  }

  private arm(): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.expired = true;
      this.options.logger?.info({ connector: this.options.connector, idleMs: this.options.idleMs }, 'postgres: released an unread paged result');
      void this.close(this.options.endSql);
    }, this.options.idleMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private expiredError(): DataMcpError {
    return new DataMcpError('TIMEOUT', `the rest of this result was released after ${this.options.idleMs} ms without being read`, 'Run the query again and read its pages without long pauses.');
  }
}
