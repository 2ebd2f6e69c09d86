import { DataMcpError } from '../results/errors.js';

/**
 * Lazy loading of cloud SDKs and drivers, shared by every connector that has one. Cold start
 * must not pay for an SDK (DESIGN §2), so each connector keeps its own literal `import('…')`
 * inside the importer it passes here (the lazy-import tests watch those specifiers) and this
 * module adds what they all need around it: one import per process, a failed import forgotten
 * so the next call retries, and the failure reported the same way everywhere.
 */

const REINSTALL_HINT = 'The server installation is incomplete; the operator should reinstall data-mcp.';

/** The INTERNAL error for a module the installation should have had (`what`: "the S3 SDK" without "the"). */
export function moduleLoadFailed(what: string, error: unknown): DataMcpError {
  return new DataMcpError('INTERNAL', `the ${what} could not be loaded`, REINSTALL_HINT, {
    cause: error instanceof Error ? error.message : String(error),
  });
}

/**
 * A loader that runs `importer` on its first call only and hands every caller the same promise.
 * A failed import is not cached (a transient failure must not poison the process) and rejects
 * with `moduleLoadFailed(what, …)`.
 */
export function lazyModule<T>(what: string, importer: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= importer().catch((error: unknown) => {
      loading = undefined;
      throw moduleLoadFailed(what, error);
    });
    return loading;
  };
}
