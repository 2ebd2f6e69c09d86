import { DataMcpError } from '../results/errors.js';

/**
 * One error for "a create-only write found the key taken", whatever the store (S3 412,
 * GCS 412, local EEXIST). ERROR_CODES has no CONFLICT, and the fix is the caller's (pick
 * another path, or replace on purpose), so it is INVALID_ARGUMENT with `reason: 'exists'`.
 * `precondition: 'object_exists'` stays for callers that keyed on the earlier GCS detail.
 */
export function objectExists(connector: string, path: string, detail: Record<string, unknown> = {}): DataMcpError {
  return new DataMcpError(
    'INVALID_ARGUMENT',
    `"${path}" already exists in connector "${connector}", and create-only writes never replace an object`,
    'Choose a new path, or use replace_data if overwriting is intended and enabled.',
    { ...detail, connector, reason: 'exists', precondition: 'object_exists' },
  );
}

export function isObjectExists(error: unknown): boolean {
  return error instanceof DataMcpError && error.detail?.reason === 'exists';
}
