import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { PostgresConnectorConfig } from '../../config/schema.js';
import { configError } from '../../results/errors.js';

/**
 * The `ssl` block → node-postgres' `ssl` option:
 * - `disable`: plain TCP.
 * - `require`: TLS, but the certificate is not verified (encryption against passive
 *   eavesdropping only, like libpq's sslmode=require).
 * - `verify-full`: TLS, the chain must lead to `ca_file` (or the system CAs when absent) and the
 *   certificate must name the configured host — Node's default hostname check stays on.
 */
export function sslOptions(ssl: PostgresConnectorConfig['ssl'], connector: string): false | ConnectionOptions {
  switch (ssl.mode) {
    case 'disable':
      if (ssl.ca_file) throw configError(`connector ${connector}: ssl.ca_file is set but ssl.mode is "disable"`, 'Set ssl.mode to "verify-full" to use the CA file, or remove ca_file.');
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, ...(ssl.ca_file ? { ca: readCa(ssl.ca_file, connector) } : {}) };
  }
}

function readCa(path: string, connector: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw configError(`connector ${connector}: ssl.ca_file "${path}" cannot be read (${reason})`, 'The operator must point ssl.ca_file at a readable PEM file with the server\'s CA certificate.');
  }
}
