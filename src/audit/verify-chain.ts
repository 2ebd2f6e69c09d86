import type { KeyObject } from 'node:crypto';
import { computeHash, GENESIS_HASH } from './chain.js';
import { keyIdOf, verifyCheckpointSignature } from './checkpoint-key.js';
import type { HeadSidecar } from './head-sidecar.js';
import { looksLikeRecord } from './log-tail.js';
import type { RawLine } from './read-lines.js';
import { checkpointPayload, type AuditRecord, type CheckpointRecord } from './record.js';
import { sha256Hex } from '../util/canonical-json.js';

export interface BadRecord {
  line: number;
  seq?: number;
  reason: string;
}

/**
 * Walks the log one line at a time, holding only the previous link, so a log of any size is
 * checked in constant memory. `check` returns the first problem found; the caller stops there.
 */
export class ChainChecker {
  records = 0;
  calls = 0;
  checkpoints = 0;
  lastSeq = 0;
  lines = 0;
  unsealed = 0;
  readonly warnings: string[] = [];
  private prevHash = GENESIS_HASH;
  private fragment: RawLine | undefined;
  private sawSidecarCheckpoint = false;
  private readonly keyId: string | undefined;

  constructor(
    private readonly publicKey: KeyObject | undefined,
    private readonly sidecar: HeadSidecar | undefined,
  ) {
    this.keyId = publicKey ? keyIdOf(publicKey) : undefined;
  }

  check(raw: RawLine): BadRecord | undefined {
    this.lines = raw.number;
    let value: unknown;
    try {
      value = JSON.parse(raw.bytes.toString('utf8'));
    } catch {
      value = undefined;
    }
    if (!looksLikeRecord(value)) {
      if (this.fragment) return this.notARecord(this.fragment);
      if (!raw.terminated && value === undefined) {
        this.warnings.push(`line ${raw.number}: torn final line (${raw.bytes.length} bytes) from an interrupted write; it was never acknowledged`);
        return undefined;
      }
      // Possibly a torn line that a later open sealed: only a matching recovery record excuses it.
      if (value === undefined) this.fragment = raw;
      return value === undefined ? undefined : this.notARecord(raw);
    }
    if (this.fragment && value.type !== 'recovery') return this.notARecord(this.fragment);
    const bad = this.checkLink(value, raw.number) ?? this.checkKind(value, raw.number);
    if (bad) return bad;
    this.records += 1;
    this.lastSeq = value.seq;
    this.prevHash = value.hash;
    return undefined;
  }

  /** Problems that only show at the end of the file. */
  finish(): BadRecord | undefined {
    if (this.fragment) return this.notARecord(this.fragment);
    if (this.sidecar && !this.sawSidecarCheckpoint) {
      return {
        line: this.lines + 1,
        seq: this.lastSeq + 1,
        reason: `the log ends at seq ${this.lastSeq}, but the head sidecar records checkpoint seq ${this.sidecar.seq}: the tail was truncated`,
      };
    }
    return undefined;
  }

  private checkLink(r: AuditRecord, line: number): BadRecord | undefined {
    const expected = this.lastSeq + 1;
    if (r.seq > expected) return { line, seq: r.seq, reason: `seq jumps from ${this.lastSeq} to ${r.seq}: ${r.seq - expected} record(s) missing before this line` };
    if (r.seq < expected) return { line, seq: r.seq, reason: `seq ${r.seq} repeats or goes backwards (expected ${expected}): a record was inserted, duplicated or reordered` };
    if (r.prevHash !== this.prevHash) return { line, seq: r.seq, reason: "prevHash does not match the previous record's hash: a record before this line was changed, inserted or removed" };
    if (computeHash(r.prevHash, r) !== r.hash) return { line, seq: r.seq, reason: 'hash mismatch: this record was modified' };
    return undefined;
  }

  private checkKind(r: AuditRecord, line: number): BadRecord | undefined {
    if (this.sidecar && r.seq === this.sidecar.seq) {
      if (r.type !== 'checkpoint' || r.hash !== this.sidecar.hash) return { line, seq: r.seq, reason: 'this record differs from the checkpoint recorded in the head sidecar' };
      this.sawSidecarCheckpoint = true;
    }
    if (r.type === 'checkpoint') return this.checkCheckpoint(r, line);
    if (r.type === 'recovery') {
      const f = this.fragment;
      if (!f || f.bytes.length !== r.tornBytes || sha256Hex(f.bytes) !== r.tornSha256) {
        return { line, seq: r.seq, reason: 'recovery record does not match a torn line right before it' };
      }
      this.fragment = undefined;
      this.warnings.push(`line ${f.number}: torn line (${f.bytes.length} bytes) from an interrupted write, sealed by recovery record seq ${r.seq}`);
    } else {
      this.calls += 1;
    }
    this.unsealed += 1;
    return undefined;
  }

  private checkCheckpoint(c: CheckpointRecord, line: number): BadRecord | undefined {
    if (c.coversSeq !== c.seq - 1 || c.headHash !== c.prevHash) {
      return { line, seq: c.seq, reason: 'checkpoint does not seal the record before it: records before this line were rewritten' };
    }
    if (this.publicKey) {
      if (c.keyId !== this.keyId) return { line, seq: c.seq, reason: `checkpoint is signed by key ${String(c.keyId)}, not by the verifying key ${this.keyId ?? ''}` };
      if (typeof c.signature !== 'string' || !verifyCheckpointSignature(this.publicKey, checkpointPayload(c), c.signature)) {
        return { line, seq: c.seq, reason: 'checkpoint signature does not verify: forged, or signed with another key' };
      }
    }
    this.checkpoints += 1;
    this.unsealed = 0;
    return undefined;
  }

  private notARecord(raw: RawLine): BadRecord {
    return { line: raw.number, reason: 'not a JSON audit record (garbage, or a line was damaged)' };
  }
}
