import type { Logger } from '../logging/logger.js';

/** How an AuditLog is opened (config `audit.*`, resolved by the runtime). */
export interface AuditLogOptions {
  path: string;
  checkpointKeyFile?: string;
  checkpointEvery: number;
  checkpointSeconds: number;
  fsync: 'strict' | 'always';
  logger?: Logger;
  /** How long a non-durable record may wait for its fsync (group commit). Default 50 ms. */
  groupCommitMs?: number;
  /**
   * Rotate the active file before a record would take it past this many bytes (its closing
   * checkpoint may still go past). Unset or 0: never rotate. Rotated files are never deleted.
   */
  rotateBytes?: number;
}
