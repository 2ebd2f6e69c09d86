import type { Logger } from './logger.js';

/**
 * Node prints process warnings (deprecations, an SDK's notice that it will need a newer Node)
 * as raw multi-line text on stderr, where the server's logs are scrubbed JSON lines. The
 * server routes them through its logger instead, so stderr stays one JSON object per line.
 * Returns a function that puts Node's own handlers back.
 */
export function routeProcessWarnings(logger: Logger): () => void {
  const previous = process.listeners('warning');
  process.removeAllListeners('warning');
  const onWarning = (warning: Error & { code?: string }): void => {
    logger.warn({ warning: warning.name, ...(warning.code ? { code: warning.code } : {}) }, warning.message);
  };
  process.on('warning', onWarning);
  return () => {
    process.off('warning', onWarning);
    for (const listener of previous) process.on('warning', listener);
  };
}
