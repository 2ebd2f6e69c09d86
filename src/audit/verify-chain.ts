import type { KeyObject } from 'node:crypto';
import { computeHash, GENESIS_HASH } from './chain.js';
import { keyIdOf, verifyCheckpointSignature } from './checkpoint-key.js';
import type { HeadSidecar } from './head-sidecar.js';
import { looksLikeRecord } from './log-tail.js';
import type { RawLine } from './read-lines.js';
import { checkpointPayload, type AuditRecord, type CheckpointRecord } from './record.js';
import { sha256Hex } from '../util/canonical-json.js';
import { checkFileStart, checkRotatedEnd, type BadRecord } from './verify-files.js';

export type { BadRecord } from './verify-files.js';

/** Counts for one file of the set. */
export interface FileReport {
  file: string;
  records: number;
  calls: number;
  checkpoints: number;
  /** 0 when the file holds no records. */
  firstSeq: number;
  lastSeq: number;
}

/**
 * Walks the log one line at a time — file after file, one chain — holding only the previous
 * link, so a log of any size is checked in constant memory. `check` returns the first problem
 * found; the caller stops there.
 */
export class ChainChecker {
  records = 0;
  calls = 0;
  checkpoints = 0;
  lastSeq = 0;
  lines = 0;
  unsealed = 0;
  readonly warnings: string[] = [];
  readonly files: FileReport[] = [];
  private prevHash = GENESIS_HASH;
  private fragment: RawLine | undefined;
  private sawSidecarCheckpoint = false;
  private readonly keyId: string | undefined;
  private file: { name: string; rotated: boolean; report: FileReport; last?: AuditRecord } | undefined;
  /** Lines of the file before the current one (where a cut tail of it is reported). */
  private previousLines = 0;

  constructor(
    private readonly publicKey: KeyObject | undefined,
    private readonly sidecar: HeadSidecar | undefined,
    /** Every file name in the set (to tell a missing file from a misplaced one). */
    private readonly names: ReadonlySet<string> = new Set(),
  ) {
    this.keyId = publicKey ? keyIdOf(publicKey) : undefined;
  }

  /** Start the next file. `rotated`: it was closed by a rotation, so it must end with a checkpoint. */
  beginFile(name: string, rotated: boolean): void {
    this.previousLines = this.lines;
    this.lines = 0;
    this.fragment = undefined;
    const report: FileReport = { file: name, records: 0, calls: 0, checkpoints: 0, firstSeq: 0, lastSeq: 0 };
    this.files.push(report);
    this.file = { name, rotated, report };
  }

  check(raw: RawLine): BadRecord | undefined {
    const bad = this.checkLine(raw);
    if (bad && this.file) bad.file ??= this.file.name;
    return bad;
  }

  /** Problems that only show at the end of a file. */
  endFile(): BadRecord | undefined {
    const f = this.file;
    const bad = this.fragment ? this.notARecord(this.fragment) : f?.rotated ? checkRotatedEnd(f.name, this.lines, f.last) : undefined;
    if (bad && f) bad.file ??= f.name;
    return bad;
  }

  /** Problems that only show at the end of the whole set. */
  finish(): BadRecord | undefined {
    if (this.sidecar && !this.sawSidecarCheckpoint) {
      return {
        ...(this.file ? { file: this.file.name } : {}),
        line: this.lines + 1,
        seq: this.lastSeq + 1,
        reason: `the log ends at seq ${this.lastSeq}, but the head sidecar records checkpoint seq ${this.sidecar.seq}: the tail was truncated`,
      };
    }
    return undefined;
  }

  private checkLine(raw: RawLine): BadRecord | undefined {
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
        // A rotated file was fsynced whole before it was renamed: a torn end there is a cut.
        if (this.file?.rotated) return { line: raw.number, reason: `rotated file ends in a partial line (${raw.bytes.length} bytes): it was cut or damaged` };
        this.warnings.push(`${this.where(raw.number)}: torn final line (${raw.bytes.length} bytes) from an interrupted write; it was never acknowledged`);
        return undefined;
      }
      // Possibly a torn line that a later open sealed: only a matching recovery record excuses it.
      if (value === undefined) this.fragment = raw;
      return value === undefined ? undefined : this.notARecord(raw);
    }
    if (this.fragment && value.type !== 'recovery') return this.notARecord(this.fragment);
    const bad = this.checkBoundary(value, raw.number) ?? this.checkLink(value, raw.number) ?? this.checkKind(value, raw.number);
    if (bad) return bad;
    this.count(value);
    return undefined;
  }

  private checkBoundary(r: AuditRecord, line: number): BadRecord | undefined {
    const f = this.file;
    if (!f) return undefined;
    const index = this.files.length - 1;
    if (f.report.records > 0) {
      return r.type === 'rotation' ? { line, seq: r.seq, reason: 'a rotation record in the middle of a file: records were spliced in from another file' } : undefined;
    }
    const before = index > 0 ? this.files[index - 1] : undefined;
    return checkFileStart(r, line, {
      file: f.name,
      ...(before ? { previous: { name: before.file, lines: this.previousLines } } : {}),
      names: this.names,
      lastSeq: this.lastSeq,
      prevHash: this.prevHash,
    });
  }

  private count(r: AuditRecord): void {
    const f = this.file;
    this.records += 1;
    this.lastSeq = r.seq;
    this.prevHash = r.hash;
    if (!f) return;
    const rep = f.report;
    if (rep.records === 0) rep.firstSeq = r.seq;
    rep.records += 1;
    rep.lastSeq = r.seq;
    if (r.type === 'call') rep.calls += 1;
    if (r.type === 'checkpoint') rep.checkpoints += 1;
    f.last = r;
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
      this.warnings.push(`${this.where(f.number)}: torn line (${f.bytes.length} bytes) from an interrupted write, sealed by recovery record seq ${r.seq}`);
    } else if (r.type === 'call') {
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

  /** `line N` in a single-file log (as before rotation existed), `<file> line N` otherwise. */
  private where(line: number): string {
    return this.files.length > 1 || this.file?.rotated ? `${this.file?.name ?? ''} line ${line}` : `line ${line}`;
  }

  private notARecord(raw: RawLine): BadRecord {
    return { line: raw.number, reason: 'not a JSON audit record (garbage, or a line was damaged)' };
  }
}
