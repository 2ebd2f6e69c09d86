import type { Principal } from '../identity/principal.js';

/**
 * The audit file's line types (DESIGN §7). Every line is the canonical JSON of one record;
 * `hash = sha256(prevHash + canonicalJson(record without hash))` chains them from genesis.
 */

export interface AuditPrincipal {
  sa: string;
  roles: string[];
  /** Non-secret credential scope ids only, never material. */
  credentialScope: { aws: string; gcp: string };
  authMode: 'none' | 'token';
  tokenId?: string;
}

export interface AuditRequest {
  action: string;
  resource: string;
  /** This request's own decision (the call's decision is the conjunction). */
  allowed?: boolean;
  /** A look-up that granted nothing (whoami): not part of the call's decision. */
  check?: boolean;
}

export interface AuditDecision {
  result: 'allow' | 'deny' | 'error' | 'none';
  /** Ids of the policies that determined the decision. */
  policies: string[];
}

export interface AuditOutcome {
  status: 'ok' | 'denied' | 'invalid' | 'failed' | 'cancelled';
  errorCode?: string;
  rows?: number;
  bytes?: number;
  cache?: 'hit' | 'miss' | 'bypass';
  /** Upstream job / statement ids, for correlation with the cloud's own logs. */
  upstream?: Record<string, string>;
  /** Probes: the sources read, the steps run and where the result was delivered. */
  lineage?: Lineage;
}

/** Where a result came from and went: sources → steps → destination. */
export interface Lineage {
  sources: string[];
  steps: string[];
  destination?: string;
}

interface Chained {
  seq: number;
  ts: string;
  prevHash: string;
  hash: string;
}

/** One mediated request: allowed, denied, invalid, failed or cancelled. */
export interface CallRecord extends Chained {
  type: 'call';
  eventId: string;
  principal: AuditPrincipal | null;
  client: { name: string; version: string };
  tool: string;
  requests: AuditRequest[];
  decision: AuditDecision;
  /** Redacted before hashing: the file never holds an unredacted value. */
  arguments: unknown;
  outcome: AuditOutcome;
  durationMs: number;
}

/** An Ed25519-signed seal over the chain head; makes tail truncation detectable. */
export interface CheckpointRecord extends Chained {
  type: 'checkpoint';
  /** Seq of the record this checkpoint seals (the one just before it). */
  coversSeq: number;
  /** Hash of that record. */
  headHash: string;
  keyId: string;
  /** base64 Ed25519 signature over canonicalJson({ coversSeq, headHash, ts, keyId }). */
  signature: string;
}

/**
 * Written on open after a crash left a torn (never acknowledged) final line: it names the
 * fragment's length and digest so `verify` can tell an interrupted write from a tamper.
 */
export interface RecoveryRecord extends Chained {
  type: 'recovery';
  tornBytes: number;
  tornSha256: string;
}

/**
 * The first record of every file after the first: the chain continues from the previous file,
 * and this record names it, so deleting, reordering, renaming or splicing in a file shows at
 * the file boundary. Its prevHash is `previous.lastHash`.
 */
export interface RotationRecord extends Chained {
  type: 'rotation';
  previous: { file: string; lastSeq: number; lastHash: string };
}

export type AuditRecord = CallRecord | CheckpointRecord | RecoveryRecord | RotationRecord;

/** What a caller supplies; the log adds type, seq, ts and the chain (eventId if absent). */
export type CallEntry = Omit<CallRecord, 'seq' | 'ts' | 'prevHash' | 'hash' | 'type' | 'eventId'> & {
  eventId?: string;
};

/** The non-secret view of a principal that goes into a record. */
export function auditPrincipal(p: Principal): AuditPrincipal {
  const out: AuditPrincipal = {
    sa: p.saId,
    roles: [...p.roles],
    credentialScope: { aws: p.aws.id, gcp: p.gcp.id },
    authMode: p.authMode,
  };
  if (p.tokenId !== undefined) out.tokenId = p.tokenId;
  return out;
}

/** The payload a checkpoint signature covers (also used by verify). */
export function checkpointPayload(c: Pick<CheckpointRecord, 'coversSeq' | 'headHash' | 'ts' | 'keyId'>) {
  return { coversSeq: c.coversSeq, headHash: c.headHash, ts: c.ts, keyId: c.keyId };
}
