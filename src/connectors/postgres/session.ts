import { abortError } from '../abort.js';
import { cancelBackend } from './cancel.js';
import { releaseClient, type PgClient, type PgPool } from './pool.js';

/** After a cancel, how long a statement may take to stop before its connection is cut instead. */
export const CANCEL_GRACE_MS = 2_000;
/** How often an unanswered cancel is sent again within the grace period. */
const CANCEL_RESEND_MS = 200;

/**
 * One checked-out connection and the transaction on it. Steps run under the call's signal: an
 * abort sends a server-side cancel and waits (at most CANCEL_GRACE_MS) for the statement to
 * stop, so when the caller sees CANCELLED the backend is no longer running it. A session that
 * was cancelled, or whose connection failed, is destroyed rather than pooled.
 */
export class PgSession {
  /** True once a cancel was sent for this session. */
  cancelled = false;
  private released = false;

  constructor(
    readonly client: PgClient,
    private readonly pool: PgPool,
    private readonly target: { host: string; port: number },
  ) {}

  get isReleased(): boolean {
    return this.released;
  }

  async step<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    if (signal?.aborted) throw abortError(signal);
    const running = work();
    if (!signal) return running;
    let grace: NodeJS.Timeout | undefined;
    let resend: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      onAbort = () => {
        this.cancelled = true;
        const cancel = () => void cancelBackend(this.client, this.pool, this.target).catch(() => undefined);
        cancel();
        // PostgreSQL drops a CancelRequest that arrives before the statement has started (one
        // sent just as the query goes out): repeat it until the step settles or grace ends.
        resend = setInterval(cancel, CANCEL_RESEND_MS);
        resend.unref();
        grace = setTimeout(() => {
          // The cancel did not land in time: cut the connection; the server ends the backend.
          void this.release(true).then(() => reject(abortError(signal)));
        }, CANCEL_GRACE_MS);
        grace.unref();
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([running, stopped]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      if (grace) clearTimeout(grace);
      if (resend) clearInterval(resend);
      running.catch(() => undefined);
    }
  }

  /** Ends the transaction and returns the connection (or destroys it when it cannot be trusted). */
  async end(sql: 'ROLLBACK' | 'COMMIT'): Promise<void> {
    if (this.released) return;
    if (this.cancelled) return this.release(true);
    try {
      await this.client.query(sql);
    } catch (error) {
      await this.release(true);
      if (sql === 'COMMIT') throw error;
      return;
    }
    await this.release(false);
  }

  /** After a failure: roll back if the connection is still healthy, otherwise destroy it. */
  async abandon(): Promise<void> {
    await this.end('ROLLBACK');
  }

  /** Idempotent; a destroy resolves once the server closed the connection (bounded). */
  async release(destroy: boolean): Promise<void> {
    if (this.released) return;
    this.released = true;
    await releaseClient(this.client, destroy);
  }
}
