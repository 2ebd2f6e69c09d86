import { DataMcpError } from '../../results/errors.js';
import { parentPrefix } from '../path-guard.js';

/**
 * Maps a node:fs error to a DataMcpError. Node's messages carry absolute host paths, which
 * would reveal the operator's filesystem layout, so only the error code and the
 * connector-relative path are used.
 */
export function fsError(error: unknown, connector: string, path: string): DataMcpError {
  if (error instanceof DataMcpError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
  const detail = { upstreamCode: code, connector };
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new DataMcpError('NOT_FOUND', `"${path}" does not exist in connector "${connector}"`, browseHint(path), detail);
    case 'EACCES':
    case 'EPERM':
      return new DataMcpError(
        'UPSTREAM_ERROR',
        `the server may not access "${path}" in connector "${connector}"`,
        'The folder is not readable by the server process; ask the operator to fix its permissions.',
        detail,
      );
    case 'EISDIR':
      return new DataMcpError('INVALID_ARGUMENT', `"${path}" is a folder, not a file`, browseHint(path), detail);
    case 'ENOSPC':
    case 'EDQUOT':
      return new DataMcpError('UNAVAILABLE', `the folder of connector "${connector}" is out of space (${code})`, 'Nothing was written; the operator must free space before writes can succeed.', detail);
    case 'EROFS':
      return new DataMcpError('UPSTREAM_ERROR', `the folder of connector "${connector}" is read-only`, 'Writes cannot succeed here; ask the operator for a writable connector.', detail);
    case 'ELOOP':
      return new DataMcpError('INVALID_ARGUMENT', `"${path}" is a symbolic link loop`, browseHint(path), detail);
    case 'EMFILE':
    case 'ENFILE':
    case 'EBUSY':
    case 'EAGAIN':
      return new DataMcpError('UNAVAILABLE', `the filesystem is busy (${code})`, 'Try again in a moment.', detail);
    default:
      return new DataMcpError('UPSTREAM_ERROR', `accessing "${path}" failed (${code})`, 'Try again; if it persists, the operator should check the folder.', detail);
  }
}

export function browseHint(path: string): string {
  const parent = parentPrefix(path);
  return `Browse ${parent === '' ? 'the connector root' : `"${parent}"`} to see what exists there.`;
}
