import { abortError } from '../abort.js';

/**
 * The BigQuery SDK takes no AbortSignal, so a pending call is raced against the signal: on
 * abort the caller stops waiting at once (and cancels the job upstream); the abandoned request
 * finishes in the background and its outcome is dropped.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/** Sleeps `ms`, or less when the signal aborts (then throws CANCELLED / TIMEOUT). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return untilAborted(
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    }),
    signal,
  );
}

/** The call's own signal plus its time limit (a TimeoutError reason, which abortError maps to TIMEOUT). */
export function withDeadline(signal: AbortSignal, timeoutMs: number): AbortSignal {
  const ms = Number.isFinite(timeoutMs) && timeoutMs > 0 ? Math.ceil(timeoutMs) : 60_000;
  return AbortSignal.any([signal, AbortSignal.timeout(ms)]);
}
