import type { SqlParameter } from '@aws-sdk/client-redshift-data';
import { abortError } from '../abort.js';
import type { RedshiftHandle } from './client.js';
import { redshiftError, statementAborted, statementFailed } from './errors.js';
import type { RedshiftTarget } from './target.js';

export interface StatementSpec {
  sql: string;
  parameters?: SqlParameter[];
  connector: string;
  /** Longest pause between two DescribeStatement polls. */
  pollIntervalMs: number;
  /** Aborted by the client's cancel or by the call's deadline (a TimeoutError reason). */
  signal: AbortSignal;
}

export interface FinishedStatement {
  id: string;
  hasResultSet: boolean;
  resultRows?: number;
}

/** How long a best-effort CancelStatement may take once the caller has given up. */
const CANCEL_BUDGET_MS = 1_500;
/** First poll comes quickly (most queries are short), later ones back off to the configured interval. */
const FIRST_POLL_MS = 25;

/**
 * ExecuteStatement, then DescribeStatement until the statement ends. The Data API has no
 * per-call statement timeout, so the deadline is enforced here: when the signal aborts (the
 * client cancelled, or the deadline passed) the statement is cancelled upstream with
 * CancelStatement before CANCELLED / TIMEOUT is thrown, so no query keeps running unseen.
 * `onStarted` receives the statement id as soon as it exists (for audit correlation).
 */
export async function runStatement(handle: RedshiftHandle, target: RedshiftTarget, spec: StatementSpec, onStarted?: (id: string) => void): Promise<FinishedStatement> {
  const { sdk, client } = handle;
  const { signal } = spec;
  let id: string | undefined;
  try {
    // Not aborted mid-flight: a statement submitted without us learning its id could not be
    // cancelled. The call is short (the SDK's request timeout bounds it); abort is checked after.
    const started = await client.send(
      new sdk.ExecuteStatementCommand({ ...target, Sql: spec.sql, ...(spec.parameters ? { Parameters: spec.parameters } : {}), StatementName: 'data-mcp' }),
    );
    id = started.Id;
    if (!id) throw new Error('ExecuteStatement returned no statement id');
    onStarted?.(id);
    if (signal.aborted) throw abortError(signal);
    let pause = Math.min(FIRST_POLL_MS, spec.pollIntervalMs);
    for (;;) {
      const out = await client.send(new sdk.DescribeStatementCommand({ Id: id }), { abortSignal: signal });
      switch (out.Status) {
        case 'FINISHED':
          return { id, hasResultSet: out.HasResultSet === true, ...(out.ResultRows !== undefined && out.ResultRows >= 0 ? { resultRows: out.ResultRows } : {}) };
        case 'FAILED':
          throw statementFailed(out.Error, spec.connector, id);
        case 'ABORTED':
          throw signal.aborted ? abortError(signal) : statementAborted(spec.connector, id);
      }
      await pauseFor(pause, signal);
      if (signal.aborted) throw abortError(signal);
      pause = Math.min(pause * 2, spec.pollIntervalMs);
    }
  } catch (error) {
    if (signal.aborted && id !== undefined) await cancelQuietly(handle, id);
    throw redshiftError(error, { connector: spec.connector, operation: id ? 'DescribeStatement' : 'ExecuteStatement', subject: 'the query', signal, ...(id ? { statementId: id } : {}) });
  }
}

/**
 * CancelStatement, best effort: the statement may have just finished (the API then answers
 * with a ValidationException), and the caller is already leaving with CANCELLED / TIMEOUT.
 */
export async function cancelQuietly({ sdk, client }: RedshiftHandle, id: string): Promise<void> {
  try {
    await client.send(new sdk.CancelStatementCommand({ Id: id }), { abortSignal: AbortSignal.timeout(CANCEL_BUDGET_MS) });
  } catch {
    // Nothing more to do: the statement ends on its own, and its result expires upstream.
  }
}

/** Waits `ms`, or less when the signal aborts. */
function pauseFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
