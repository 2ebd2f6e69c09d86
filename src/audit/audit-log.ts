import { randomUUID } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { isDataMcpError } from '../results/errors.js';
import { scrubValue } from '../results/scrub.js';
import { auditUnavailable } from './audit-errors.js';
import { sealLine } from './chain.js';
import type { CheckpointSigner } from './checkpoint-key.js';
import { sealCheckpoint, sealFileHeader } from './file-header.js';
import { sidecarFor, writeHeadSidecar } from './head-sidecar.js';
import { rotatedPathFor } from './log-files.js';
import { acquireLogLock } from './log-lock.js';
import type { AuditLogOptions } from './options.js';
import { resumeLog } from './open-log.js';
import type { AuditRecord, CallEntry, CallRecord, CheckpointRecord } from './record.js';
import { redactArguments } from './redact.js';
import type { ChainPosition } from './resume.js';
import { rotateActiveFile } from './rotation.js';
import type { SegmentSink } from './segment-sink.js';

export type { AuditLogOptions } from './options.js';

const RECENT_LIMIT = 500;

/** Where the active file stands, for the rotation decision. */
interface ActiveFile {
  bytes: number;
  /** Rotating a file that holds only its header would only make another one. */
  rotatable: boolean;
  nextIndex: number;
}

/**
 * The append-only, hash-chained audit log (DESIGN §7). Records are sealed synchronously in
 * call order, so seqs are contiguous and the chain is the file order; one SegmentSink owns the
 * active file. Signed checkpoints seal the head every N records / T seconds, on close and
 * before a rotation; the chain runs on across rotated files (`<log>.000001`, …).
 */
export class AuditLog {
  private readonly recentCalls: CallRecord[] = [];
  private sidecarWrites: Promise<void> = Promise.resolve();
  private readonly checkpointTimer: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly path: string,
    private readonly sink: SegmentSink,
    private readonly signer: CheckpointSigner,
    private position: ChainPosition,
    private readonly active: ActiveFile,
    private readonly unlock: () => Promise<void>,
    private readonly opts: AuditLogOptions,
  ) {
    this.checkpointTimer = setInterval(() => void this.checkpoint(), opts.checkpointSeconds * 1000);
    this.checkpointTimer.unref();
  }

  static async open(opts: AuditLogOptions): Promise<AuditLog> {
    const path = resolve(opts.path);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 }).catch((err: unknown) => {
      throw auditUnavailable(`cannot create the directory of ${path}`, err);
    });
    const unlock = await acquireLogLock(path);
    try {
      const resumed = await resumeLog(path, { checkpointKeyFile: opts.checkpointKeyFile, fsync: opts.fsync, groupCommitMs: opts.groupCommitMs ?? 50, logger: opts.logger });
      const active = { bytes: resumed.fileBytes, rotatable: resumed.fileBytes > 0, nextIndex: resumed.nextIndex };
      return new AuditLog(path, resumed.sink, resumed.signer, resumed.position, active, unlock, opts);
    } catch (err) {
      await unlock();
      throw isDataMcpError(err) ? err : auditUnavailable(`cannot open ${path}`, err);
    }
  }

  /**
   * Seal and write one call record. `durable` (write-class calls, denials): resolves after
   * fsync. Otherwise resolves once the OS has the line; fsync follows shortly (group commit).
   * Rejects with UNAVAILABLE when the record cannot be written: the caller must fail the call.
   */
  append(entry: CallEntry, opts: { durable: boolean }): Promise<CallRecord> {
    if (this.closed) return Promise.reject(auditUnavailable('the audit log is closed'));
    if (this.sink.failed) return Promise.reject(auditUnavailable('an earlier write failed', this.sink.failed));
    const { principal, client, tool, requests, decision, outcome, durationMs } = entry;
    // Copy field by field: nothing the caller adds rides along, and later mutation cannot reach the record.
    const fields = scrubValue({ eventId: entry.eventId ?? randomUUID(), principal, client, tool, requests, decision, outcome, durationMs });
    const args = redactArguments(entry.arguments);
    const seal = () => sealLine({ type: 'call' as const, seq: this.position.seq + 1, ts: new Date().toISOString(), ...fields, arguments: args }, this.position.hash);
    let sealed = seal();
    if (this.wouldOverflow(Buffer.byteLength(sealed.line) + 1)) {
      // Rotation takes seqs (closing checkpoint, header): seal again after it.
      this.rotate();
      sealed = seal();
    }
    const { record, line } = sealed;
    this.active.rotatable = true;
    const written = this.writeRecord(record, line, opts.durable).then(
      () => {
        this.remember(record);
        return record;
      },
      (err: unknown) => {
        throw auditUnavailable('cannot write the audit record', err);
      },
    );
    this.position.unsealed += 1;
    if (this.position.unsealed >= this.opts.checkpointEvery) void this.checkpoint();
    return written;
  }

  /** The last `n` call records written by this process, oldest first. */
  recent(n: number): CallRecord[] {
    return n <= 0 ? [] : this.recentCalls.slice(-n);
  }

  /** Seq and hash of the newest record (sealed, possibly not yet written). */
  head(): { seq: number; hash: string } {
    return { seq: this.position.seq, hash: this.position.hash };
  }

  /** Flush, seal with a final checkpoint, fsync and close. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.checkpointTimer);
    const finalCheckpoint = this.checkpoint();
    try {
      await this.sink.sync();
      await finalCheckpoint;
      await this.sidecarWrites;
    } catch (err) {
      throw auditUnavailable('cannot flush the audit log on close', err);
    } finally {
      await this.sink.close();
      await this.unlock();
    }
  }

  /** Seal the current head with a signed checkpoint; a no-op when nothing is unsealed. */
  private checkpoint(): Promise<void> {
    if (this.position.unsealed === 0 || this.sink.failed) return Promise.resolve();
    const { record, line } = sealCheckpoint(this.position, this.signer);
    this.position.unsealed = 0;
    return this.writeRecord(record, line, true).then(
      () => this.updateSidecar(record),
      // The failure poisons the writer, so the next append reports it to its caller.
      (err: unknown) => this.logFailure('audit checkpoint write failed', err, record.seq),
    );
  }

  private wouldOverflow(bytes: number): boolean {
    const limit = this.opts.rotateBytes;
    return limit !== undefined && limit > 0 && this.active.rotatable && this.active.bytes + bytes > limit;
  }

  /**
   * Close the active file with a checkpoint and continue the chain in a new one. The records
   * are sealed now, in order; the file work runs in the sink, which holds later lines until the
   * new file is in place. A failure poisons the sink: appends fail until a restart repairs.
   */
  private rotate(): void {
    const closing = this.checkpoint();
    const rotatedPath = rotatedPathFor(this.path, this.active.nextIndex);
    const header = sealFileHeader(this.position, basename(rotatedPath), this.signer);
    this.position = header.position;
    this.active.nextIndex += 1;
    this.active.bytes = header.bytes;
    this.active.rotatable = false;
    const switched = this.sink.switchFile(async () => {
      await closing;
      await rotateActiveFile(this.path, rotatedPath, header.text);
      return open(this.path, 'a', 0o600);
    });
    switched.then(
      () => void this.updateSidecar(header.checkpoint),
      (err: unknown) => this.logFailure('audit log rotation failed', err, header.checkpoint.seq),
    );
  }

  private updateSidecar(record: CheckpointRecord): Promise<void> {
    // Serialized so an older sidecar can never overwrite a newer one.
    this.sidecarWrites = this.sidecarWrites
      .then(() => writeHeadSidecar(this.path, sidecarFor(record)))
      .catch((err: unknown) => this.logFailure('audit head sidecar write failed', err, record.seq));
    return this.sidecarWrites;
  }

  private logFailure(message: string, err: unknown, seq: number): void {
    this.opts.logger?.error({ err: err instanceof Error ? err.message : String(err), seq }, message);
  }

  /** Advance the in-memory head synchronously (file order = seal order), then queue the line. */
  private writeRecord(record: AuditRecord, line: string, durable: boolean): Promise<void> {
    this.position.seq = record.seq;
    this.position.hash = record.hash;
    this.active.bytes += Buffer.byteLength(line) + 1;
    return this.sink.write(`${line}\n`, durable);
  }

  private remember(record: CallRecord): void {
    this.recentCalls.push(record);
    if (this.recentCalls.length > RECENT_LIMIT) this.recentCalls.splice(0, this.recentCalls.length - RECENT_LIMIT);
  }
}
